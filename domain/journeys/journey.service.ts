import { Types } from 'mongoose';
import { Journey, JourneyRun } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { TestRecipient } from '../../models/test-recipient.model';
import { CouponTemplate } from '../../models/coupon-template.model';
import { audienceRule } from '../campaigns/campaign.service';
import type { CampaignMessage } from '../campaigns/campaign.schema';
import { renderWithSampleLinks } from '../campaigns/campaign-render.service';
import { ensureTrackedLinks, type LinkRef } from '../campaigns/tracked-links.service';
import { testRecipientText } from '../campaigns/test-recipients.service';
import { checkLineMessages } from '../messaging/line-rules/line-message-rules';
import type { LineMessage, Messenger } from '../messaging/messenger';
import { countAudience } from '../segments/segment.service';
import { AppError, badRequest, conflict, notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { enterRun, type JourneyLean } from './journey-enter.service';
import {
  type JourneyInput,
  JourneyInputSchema,
  type JourneyStep,
  type ParsedJourneyInput,
  StepPreviewSchema,
  TriggerSchema,
} from './journey.schema';
import { journeyText } from './journey-text';
import { linkScopeOf } from './journey-time';
import { computeJourneyStats, type JourneyStats } from './journey-stats.service';
import { journeyTemplates, type TemplateKey } from './journey-templates';

/** The console's use cases for journeys: save (validated as LINE will judge it), list, figures, pause, delete. */

/**
 * Every message step as LINE will get it (links at their redirect or per-member code length, with their host
 * lines) must pass the one LINE validator.
 */
function checkStepMessages(steps: JourneyStep[]): void {
  const fields = steps.flatMap((s, i) => {
    if (s.type !== 'message') return [];
    const sample = renderWithSampleLinks(s.messages as CampaignMessage[], {
      perMember: s.linkTracking === 'member',
    }).messages;
    return checkLineMessages(sample).map((issue) => ({
      path: ['steps', i, 'messages', ...issue.path].join('.'),
      message: issue.message,
    }));
  });
  if (fields.length) throw validationError(fields);
}

async function stepLinksFor(journeyId: Types.ObjectId, steps: JourneyStep[]): Promise<Record<string, LinkRef[]>> {
  const out: Record<string, LinkRef[]> = {};
  for (const s of steps)
    if (s.type === 'message')
      out[s.id] = await ensureTrackedLinks(linkScopeOf(journeyId, s.id), s.messages as CampaignMessage[], undefined, {
        journeyId,
        stepId: s.id,
      });
  return out;
}

/**
 * The editor's preview of a message step being composed: its messages as the customer will read them, each
 * plain-text link on its destination line (`shop.example.com › 活動`) above the short link (a per-member code when
 * links are tracked per member), with sample ids of the real length. The campaign preview's rendering; stores nothing.
 */
export function previewJourneyStep(input: unknown, baseUrl: string): { messages: LineMessage[] } {
  const data = parseOrThrow(StepPreviewSchema, input);
  const { messages } = renderWithSampleLinks(data.messages as CampaignMessage[], {
    perMember: data.linkTracking === 'member',
    baseUrl,
  });
  return { messages };
}

function parseJourney(input: unknown): ParsedJourneyInput {
  const data = parseOrThrow(JourneyInputSchema, input);
  checkStepMessages(data.steps);
  return data;
}

export async function createJourney(
  input: JourneyInput | unknown,
  actor: string,
  template?: string,
): Promise<JourneyView> {
  const data = parseJourney(input);
  const _id = new Types.ObjectId();
  const stepLinks = await stepLinksFor(_id, data.steps);
  const doc = await Journey.create({ _id, ...data, stepLinks, template, createdBy: actor, updatedBy: actor });
  return toView(doc.toObject() as unknown as JourneyLean);
}

/**
 * Replaces a journey's definition. Runs keep their place by step id: a run at a step that no longer exists leaves
 * the journey at its next tick (`step_removed`); one whose step is still there continues with the new content.
 */
export async function updateJourney(id: string, input: unknown, actor: string): Promise<JourneyView> {
  const existing = await loadJourney(id);
  const data = parseJourney(input);
  const status = existing.status === 'paused' && data.status === 'active' ? 'paused' : data.status;
  const stepLinks = await stepLinksFor(existing._id, data.steps);
  const doc = await Journey.findOneAndUpdate(
    { _id: existing._id },
    { $set: { ...data, status, stepLinks, updatedBy: actor } },
    { returnDocument: 'after' },
  ).lean();
  return toView(doc as unknown as JourneyLean);
}

async function loadJourney(id: string): Promise<JourneyLean> {
  if (!Types.ObjectId.isValid(id)) throw notFound(journeyText.notFound, 'journey_not_found');
  const j = (await Journey.findOne({ _id: id, status: { $ne: 'archived' } }).lean()) as unknown as JourneyLean | null;
  if (!j) throw notFound(journeyText.notFound, 'journey_not_found');
  return j;
}

/** Paused: runs keep their place and wait (their steps are not due while paused); resume picks them up. */
export async function pauseJourney(id: string, actor: string): Promise<JourneyView> {
  const j = await loadJourney(id);
  if (j.status !== 'active') throw conflict('journey_not_active', journeyText.notActive);
  await Journey.updateOne({ _id: j._id }, { $set: { status: 'paused', updatedBy: actor } });
  await JourneyRun.updateMany({ journeyId: j._id, status: 'active' }, { $set: { status: 'paused' } });
  return getJourney(id);
}

export async function resumeJourney(id: string, actor: string): Promise<JourneyView> {
  const j = await loadJourney(id);
  if (j.status !== 'paused' && j.status !== 'draft') throw conflict('journey_not_paused', journeyText.notPaused);
  await Journey.updateOne({ _id: j._id }, { $set: { status: 'active', updatedBy: actor } });
  await JourneyRun.updateMany({ journeyId: j._id, status: 'paused' }, { $set: { status: 'active' } });
  return getJourney(id);
}

/**
 * Deletes (archives) a journey. With members still in it, the marketer must choose: `exit` ends their runs now;
 * without a choice the answer is 409 `journey_has_members` with the count, and nothing changes.
 */
export async function deleteJourney(
  id: string,
  choice: 'exit' | undefined,
  actor: string,
  now: Date,
): Promise<{ exited: number }> {
  const j = await loadJourney(id);
  const active = await JourneyRun.countDocuments({
    journeyId: j._id,
    status: { $in: ['active', 'paused'] },
    test: false,
  });
  if (active > 0 && choice !== 'exit')
    throw conflict('journey_has_members', journeyText.hasMembers(active), { active });
  await Journey.updateOne({ _id: j._id }, { $set: { status: 'archived', updatedBy: actor } });
  const res = await JourneyRun.updateMany(
    { journeyId: j._id, status: { $in: ['active', 'paused'] } },
    {
      $set: { status: 'exited', endedAt: now, exitReason: 'journey_deleted' },
      $unset: { nextRunAt: 1, claim: 1, claimUntil: 1 },
    },
  );
  if (res.modifiedCount)
    await Journey.updateOne({ _id: j._id }, { $inc: { 'stats.exited': active, 'stats.active': -active } });
  return { exited: res.modifiedCount };
}

export interface JourneyListItem {
  id: string;
  name: string;
  status: string;
  category: string;
  triggerType: string;
  template: string | null;
  stats: { entered: number; active: number; completed: number; goal: number; exited: number; revenue: number };
  updatedAt: string | null;
}

export async function listJourneys(): Promise<JourneyListItem[]> {
  const rows = (await Journey.find({ status: { $ne: 'archived' } })
    .sort({ updatedAt: -1 })
    .limit(200)
    .lean()) as unknown as JourneyLean[];
  return rows.map(toListItem);
}

function toListItem(
  j: JourneyLean & { stats?: Partial<JourneyListItem['stats']>; template?: string | null; updatedAt?: Date },
): JourneyListItem {
  const s = j.stats ?? {};
  return {
    id: String(j._id),
    name: j.name,
    status: j.status,
    category: j.category,
    triggerType: j.trigger.type,
    template: j.template ?? null,
    stats: {
      entered: s.entered ?? 0,
      active: Math.max(0, s.active ?? 0),
      completed: s.completed ?? 0,
      goal: s.goal ?? 0,
      exited: s.exited ?? 0,
      revenue: s.revenue ?? 0,
    },
    updatedAt: j.updatedAt ? new Date(j.updatedAt).toISOString() : null,
  };
}

export type JourneyView = JourneyListItem & ParsedJourneyInput & { steps: JourneyStep[] };

function toView(j: JourneyLean): JourneyView {
  return {
    ...toListItem(j),
    description: j.description,
    trigger: j.trigger,
    steps: j.steps as JourneyStep[],
    goal: j.goal,
    options: j.options,
  } as JourneyView;
}

/** One journey as the editor shows it (its figures are `getJourneyStats`: they ask LINE). */
export async function getJourney(id: string): Promise<JourneyView> {
  return toView(await loadJourney(id));
}

/** The per-step figures of one journey: our counters and tracked links, and LINE's per-unit statistics. */
export async function getJourneyStats(id: string, messenger: Messenger, now: Date): Promise<JourneyStats> {
  return computeJourneyStats(await loadJourney(id), messenger, now);
}

/**
 * The templates "create from a template" offers, filled with the brand's newest active coupon templates (the
 * marketer picks another in the editor); without any coupon template the coupon steps are left for her to choose.
 */
export async function listJourneyTemplates(
  cardUrl: string,
): Promise<Array<{ key: TemplateKey; journey: JourneyInput }>> {
  const newest = await CouponTemplate.findOne({ status: 'active' }, { _id: 1 }).sort({ createdAt: -1 }).lean();
  const c = newest ? String(newest._id) : '';
  const all = journeyTemplates({ welcome: c, winBack: c, birthday: c }, cardUrl);
  return (Object.keys(all) as TemplateKey[]).map((key) => ({ key, journey: all[key] }));
}

/** "Who would enter now": the size of a segment trigger's audience (reachable, consenting members). */
export async function countWouldEnter(trigger: unknown, now: Date, timeZone: string): Promise<number> {
  const t = parseOrThrow(TriggerSchema, trigger);
  if (t.type !== 'segment') throw badRequest('not_segment_trigger', journeyText.notSegment);
  return countAudience(await audienceRule(t.audience), now, { timeZone });
}

/**
 * A test run for one test recipient: a run marked `test` (not in the figures, waits skipped by the engine) for the
 * member behind that LINE account. Anyone not on the test-recipient list is refused (400), nothing stored.
 */
export async function startTestRun(
  id: string,
  lineUserId: string,
  now: Date,
  timeZone: string,
): Promise<{ runId: string }> {
  const j = await loadJourney(id);
  if (!(await TestRecipient.exists({ lineUserId })))
    throw new AppError('not_test_recipient', 400, testRecipientText.notListed);
  const member = await Member.findOne({ lineUserId }, { _id: 1 }).lean();
  if (!member) throw badRequest('test_member_missing', journeyText.testMemberMissing);
  const testSteps = (j.steps as JourneyStep[]).filter((s) => s.type !== 'wait');
  await enterRun({ ...j, steps: testSteps }, member._id, now, timeZone, 'test', { test: true }, true);
  const run = await JourneyRun.findOne({ journeyId: j._id, memberId: member._id, test: true })
    .sort({ enteredAt: -1 })
    .lean();
  return { runId: String(run!._id) };
}
