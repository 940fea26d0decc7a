import type { Types } from 'mongoose';
import { z } from 'zod';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { SurveyResponse } from '../../models/survey.model';
import type { LineMessage, Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { recordInteraction } from '../interactions/interaction.service';
import { notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { zonedParts } from '../shared/clock';
import { moduleLogger } from '../shared/logger';
import { getProgramSettings } from '../program/settings.service';
import { programText } from '../program/program-messages';
import { objectIdSchema } from '../../shared/ids';

const log = moduleLogger('surveys');

/** Surveys go out only in the daytime (local time), so a 24-hour delay never rings a phone at night. */
export const SURVEY_SEND_HOURS = { from: 9, to: 21 } as const;
/** A survey that could not go out within this long after it was due is dropped (it would feel random). */
const STALE_MS = 3 * 86_400_000;
/** After a score, the member's next text within this window is taken as the optional comment. */
export const COMMENT_WINDOW_MS = 30 * 60_000;

/** `survey:<surveyId>:<score>` → parts, or null for any other postback. */
export function parseSurveyPostback(data: string): { surveyId: string; score: number } | null {
  const m = /^survey:([0-9a-f]{24}):([1-5])$/.exec(data);
  return m ? { surveyId: m[1], score: Number(m[2]) } : null;
}

/** The one-question survey: the question with five quick-reply answers (postback `survey:<id>:<score>`). */
export function buildSurveyMessage(surveyId: string, question: string): LineMessage {
  return {
    type: 'text',
    text: question,
    quickReply: {
      items: [5, 4, 3, 2, 1].map((score) => ({
        type: 'action' as const,
        action: {
          type: 'postback' as const,
          label: programText.surveyScoreLabels[score - 1],
          data: `survey:${surveyId}:${score}`,
          displayText: programText.surveyScoreLabels[score - 1],
        },
      })),
    },
  };
}

/**
 * The survey job: pushes the survey of every purchase whose delay has passed (daytime only), at most one per
 * member per `minDaysBetween`. Safe to run twice: each purchase's survey is created under a unique key and pushed
 * under a keyed retry, and the purchase is marked `sent` only once.
 */
export async function sendDueSurveys(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string; limit?: number },
): Promise<{ sent: number; skipped: number; deferred: number }> {
  const settings = (await getProgramSettings()).survey;
  const out = { sent: 0, skipped: 0, deferred: 0 };
  const due = await Purchase.find(
    { 'survey.status': 'pending', 'survey.dueAt': { $lte: now } },
    { memberId: 1, survey: 1, status: 1 },
  )
    .sort({ 'survey.dueAt': 1 })
    .limit(opts.limit ?? 500)
    .lean();
  if (!due.length) return out;
  const hour = zonedParts(now, opts.timeZone).hour;
  const daytime = hour >= SURVEY_SEND_HOURS.from && hour < SURVEY_SEND_HOURS.to;
  for (const p of due) {
    const stale = now.getTime() - (p.survey?.dueAt?.getTime() ?? 0) > STALE_MS;
    if (
      !settings.enabled ||
      stale ||
      p.status === 'refunded' ||
      (await surveyedRecently(p.memberId, `purchase:${p._id}`, now, settings.minDaysBetween))
    ) {
      await Purchase.updateOne({ _id: p._id, 'survey.status': 'pending' }, { $set: { 'survey.status': 'skipped' } });
      out.skipped++;
      continue;
    }
    if (!daytime) {
      out.deferred++;
      continue;
    }
    try {
      await sendOne(messenger, p._id, p.memberId, settings.question, now);
      out.sent++;
    } catch (err) {
      log.warn({ err, purchaseId: String(p._id) }, 'survey push failed; the next run retries it');
    }
  }
  return out;
}

async function surveyedRecently(memberId: Types.ObjectId, ownKey: string, now: Date, days: number): Promise<boolean> {
  if (days <= 0) return false;
  return Boolean(
    await SurveyResponse.exists({
      memberId,
      key: { $ne: ownKey },
      sentAt: { $gt: new Date(now.getTime() - days * 86_400_000) },
    }),
  );
}

async function sendOne(
  messenger: Messenger,
  purchaseId: Types.ObjectId,
  memberId: Types.ObjectId,
  question: string,
  now: Date,
): Promise<void> {
  const key = `purchase:${purchaseId}`;
  const survey = await SurveyResponse.findOneAndUpdate(
    { key },
    { $setOnInsert: { key, memberId, purchaseId, question, status: 'sent', sentAt: now } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const outcome = await notifyMember(messenger, memberId, [buildSurveyMessage(String(survey!._id), question)], {
    key: `survey:${purchaseId}`,
    now,
    summary: `滿意度問卷：${question}`,
    refs: { surveyId: String(survey!._id), purchaseId: String(purchaseId) },
  });
  await Purchase.updateOne(
    { _id: purchaseId, 'survey.status': 'pending' },
    { $set: { 'survey.status': outcome.startsWith('skipped') ? 'skipped' : 'sent' } },
  );
}

const AnswerSchema = z
  .object({
    memberId: objectIdSchema(),
    surveyId: objectIdSchema(),
    score: z.number().int().min(1, '分數需在 1 到 5 之間').max(5, '分數需在 1 到 5 之間').optional(),
    comment: z.string().trim().min(1).max(500, '意見請在 500 字以內').optional(),
  })
  .refine((a) => a.score !== undefined || a.comment !== undefined, { message: '請提供分數或意見' });

export interface SurveyAnswerResult {
  /** What to reply in chat (zh-TW). */
  replyText: string;
  /** True after a first score: the member's next text (within 30 minutes) can be recorded as the comment. */
  awaitingComment: boolean;
  duplicate: boolean;
}

/**
 * Records a survey answer: the score (first one counts; the quick reply may be tapped twice) and/or an optional
 * comment. Stored on the survey, as the member's latest satisfaction (dynamic data) and on their timeline.
 */
export async function recordSurveyAnswer(input: {
  memberId: Types.ObjectId | string;
  surveyId: string;
  score?: number;
  comment?: string;
  now: Date;
}): Promise<SurveyAnswerResult> {
  const v = parseOrThrow(AnswerSchema, { ...input, memberId: String(input.memberId), now: undefined });
  const survey = await SurveyResponse.findOne({ _id: v.surveyId, memberId: v.memberId }).lean();
  if (!survey) throw notFound('找不到這份問卷。', 'survey_not_found');
  if (v.score !== undefined) {
    const res = await SurveyResponse.updateOne(
      { _id: survey._id, status: 'sent' },
      { $set: { status: 'answered', score: v.score, answeredAt: input.now } },
    );
    if (res.modifiedCount !== 1 && v.comment === undefined)
      return { replyText: '已收到您的評分，謝謝！', awaitingComment: false, duplicate: true };
    if (res.modifiedCount === 1) {
      await Member.updateOne(
        { _id: v.memberId },
        { $set: { 'satisfaction.lastScore': v.score, 'satisfaction.at': input.now } },
      );
      await recordInteraction({
        memberId: v.memberId,
        type: 'survey_answer',
        channel: 'line',
        at: input.now,
        key: `survey-answer:${survey._id}`,
        summary: `滿意度 ${v.score} 分`,
        refs: {
          surveyId: String(survey._id),
          purchaseId: survey.purchaseId ? String(survey.purchaseId) : undefined,
          score: v.score,
        },
      });
    }
  }
  if (v.comment !== undefined) return recordComment(String(survey._id), v.memberId, v.comment, input.now);
  return {
    replyText: v.score! <= 2 ? programText.surveyThanksLow : programText.surveyThanks,
    awaitingComment: true,
    duplicate: false,
  };
}

async function recordComment(
  surveyId: string,
  memberId: string,
  comment: string,
  now: Date,
): Promise<SurveyAnswerResult> {
  const res = await SurveyResponse.updateOne({ _id: surveyId, comment: null }, { $set: { comment, commentAt: now } });
  if (res.modifiedCount === 1) {
    await Member.updateOne(
      { _id: memberId },
      { $set: { 'satisfaction.lastComment': comment, 'satisfaction.at': now } },
    );
    await recordInteraction({
      memberId,
      type: 'survey_answer',
      channel: 'line',
      at: now,
      key: `survey-comment:${surveyId}`,
      summary: `問卷意見：${comment}`,
      refs: { surveyId },
    });
  }
  return { replyText: programText.surveyCommentThanks, awaitingComment: false, duplicate: res.modifiedCount !== 1 };
}

/**
 * The survey whose optional comment the member may be typing now (scored in the last 30 minutes), or null. With
 * the member as the caller read it, one whose `satisfaction.at` (set with every score and comment, so never before
 * the latest score) is older than the window has none, and nothing is read: the chat asks this for every message.
 */
export async function findSurveyAwaitingComment(
  memberId: Types.ObjectId | string,
  now: Date,
  known?: { satisfaction?: { at?: Date | null } | null },
): Promise<{ surveyId: string } | null> {
  const since = now.getTime() - COMMENT_WINDOW_MS;
  if (known && !(known.satisfaction?.at && known.satisfaction.at.getTime() > since)) return null;
  const s = await SurveyResponse.findOne(
    {
      memberId,
      status: 'answered',
      comment: null,
      answeredAt: { $gt: new Date(since), $lte: now },
    },
    { _id: 1 },
  )
    .sort({ answeredAt: -1 })
    .lean();
  return s ? { surveyId: String(s._id) } : null;
}

/** Satisfaction overview for the console: answers, average score and distribution since a date. */
export async function getSurveyStats(
  since: Date,
): Promise<{ sent: number; answered: number; average: number | null; distribution: Record<string, number> }> {
  const [sent, rows] = await Promise.all([
    SurveyResponse.countDocuments({ sentAt: { $gte: since } }),
    SurveyResponse.aggregate<{ _id: number; n: number }>([
      { $match: { sentAt: { $gte: since }, status: 'answered' } },
      { $group: { _id: '$score', n: { $sum: 1 } } },
    ]),
  ]);
  const distribution: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let answered = 0;
  let sum = 0;
  for (const r of rows) {
    distribution[String(r._id)] = r.n;
    answered += r.n;
    sum += r._id * r.n;
  }
  return { sent, answered, average: answered ? Math.round((sum / answered) * 100) / 100 : null, distribution };
}
