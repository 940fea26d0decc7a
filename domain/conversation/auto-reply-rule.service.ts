import { Types } from 'mongoose';
import { AutoReplyRule } from '../../models/auto-reply-rule.model';
import { getTemplateDoc } from '../coupons/coupon-template.service';
import { checkLineMessage } from '../messaging/line-rules/line-message-rules';
import { notFound, validationError, type FieldError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { unknownVariables } from './answer-variables';
import { bumpConversationVersion } from './conversation-cache.service';
import { RuleInputSchema, type RuleInput } from './conversation.schema';

/**
 * Keyword auto-reply rules, edited in the console. A rule's reply is checked by the LINE validator
 * (domain/messaging/line-rules/) as the message it will send, and a coupon reply must name a live template, before
 * anything is stored. Every write refreshes the cache.
 */

export type RuleRecord = RuleInput & { id: string; updatedAt: string | null };

function view(doc: Record<string, unknown> & { _id: unknown; updatedAt?: Date | null }): RuleRecord {
  const { _id, updatedAt, createdAt: _c, __v: _v, seedKey: _s, createdBy: _cb, updatedBy: _ub, ...rest } = doc;
  const reply = Object.fromEntries(
    Object.entries((rest.reply ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined),
  );
  return {
    ...(rest as RuleInput),
    reply: reply as RuleInput['reply'],
    id: String(_id),
    updatedAt: updatedAt ? updatedAt.toISOString() : null,
  };
}

async function parseRule(input: unknown): Promise<RuleInput> {
  const rule = parseOrThrow(RuleInputSchema, input);
  const fields: FieldError[] = [];
  const reply = rule.reply;
  const text = 'text' in reply ? reply.text : undefined;
  if (text) {
    const unknown = unknownVariables(text);
    if (unknown.length)
      fields.push({ path: 'reply.text', message: `不認得的變數：${unknown.map((k) => `{${k}}`).join('、')}` });
    for (const issue of checkLineMessage({ type: 'text', text }))
      fields.push({ path: 'reply.text', message: issue.message });
  }
  if (reply.kind === 'flex') {
    for (const issue of checkLineMessage(reply.flex))
      fields.push({ path: ['reply', 'flex', ...issue.path].join('.'), message: issue.message });
    if (reply.flex.type !== 'flex') fields.push({ path: 'reply.flex.type', message: 'Flex 訊息的 type 必須是 flex' });
  }
  if (reply.kind === 'coupon') {
    const template = await getTemplateDoc(reply.couponTemplateId).catch(() => null);
    if (!template || template.status !== 'active')
      fields.push({ path: 'reply.couponTemplateId', message: '找不到這張優惠券，或它已經停用' });
  }
  if (fields.length) throw validationError(fields);
  return rule;
}

export async function listAutoReplyRules(): Promise<RuleRecord[]> {
  return (await AutoReplyRule.find({}).sort({ priority: -1, updatedAt: -1 }).lean()).map((d) => view(d as never));
}

export async function createAutoReplyRule(input: unknown, actor: string): Promise<RuleRecord> {
  const rule = await parseRule(input);
  const doc = await AutoReplyRule.create({ ...rule, createdBy: actor, updatedBy: actor });
  await bumpConversationVersion();
  return view(doc.toObject() as never);
}

export async function updateAutoReplyRule(id: string, input: unknown, actor: string): Promise<RuleRecord> {
  const rule = await parseRule(input);
  if (!Types.ObjectId.isValid(id)) throw notFound('找不到這條自動回覆規則。', 'rule_not_found');
  const doc = await AutoReplyRule.findOneAndUpdate(
    { _id: id },
    { $set: { ...rule, updatedBy: actor }, ...(rule.from ? {} : { $unset: { from: 1, to: 1 } }) },
    { returnDocument: 'after' },
  ).lean();
  if (!doc) throw notFound('找不到這條自動回覆規則。', 'rule_not_found');
  await bumpConversationVersion();
  return view(doc as never);
}

export async function deleteAutoReplyRule(id: string): Promise<RuleRecord> {
  if (!Types.ObjectId.isValid(id)) throw notFound('找不到這條自動回覆規則。', 'rule_not_found');
  const doc = await AutoReplyRule.findOneAndDelete({ _id: id }).lean();
  if (!doc) throw notFound('找不到這條自動回覆規則。', 'rule_not_found');
  await bumpConversationVersion();
  return view(doc as never);
}

/** Seeds rules once by key (the demo brand). */
export async function ensureAutoReplyRules(rules: Array<RuleInput & { seedKey: string }>): Promise<number> {
  let created = 0;
  for (const { seedKey, ...r } of rules) {
    const rule = await parseRule(r);
    const res = await AutoReplyRule.updateOne(
      { seedKey },
      { $setOnInsert: { ...rule, seedKey, createdBy: 'demo-seed', updatedBy: 'demo-seed' } },
      { upsert: true },
    );
    created += res.upsertedCount;
  }
  if (created) await bumpConversationVersion();
  return created;
}
