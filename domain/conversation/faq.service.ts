import { Types } from 'mongoose';
import { FaqEntry } from '../../models/faq-entry.model';
import { notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { unknownVariables } from './answer-variables';
import { bumpConversationVersion, type FaqView } from './conversation-cache.service';
import { FaqInputSchema, type FaqInput } from './conversation.schema';

/** The FAQ the chat answers from, edited in the console (marketers and admins). Every write refreshes the cache. */

function view(doc: {
  _id: unknown;
  question: string;
  alternatives?: string[] | null;
  answer: string;
  active?: boolean | null;
  updatedAt?: Date | null;
}): FaqView & { updatedAt: string | null } {
  return {
    id: String(doc._id),
    question: doc.question,
    alternatives: doc.alternatives ?? [],
    answer: doc.answer,
    active: doc.active !== false,
    updatedAt: doc.updatedAt ? doc.updatedAt.toISOString() : null,
  };
}

function parseFaq(input: unknown): FaqInput {
  const data = parseOrThrow(FaqInputSchema, input);
  const unknown = unknownVariables(data.answer);
  if (unknown.length)
    throw validationError([{ path: 'answer', message: `不認得的變數：${unknown.map((k) => `{${k}}`).join('、')}` }]);
  return data;
}

/** Every entry, newest first. */
export async function listFaqEntries(): Promise<Array<ReturnType<typeof view>>> {
  return (await FaqEntry.find({}).sort({ updatedAt: -1 }).lean()).map(view);
}

export async function createFaqEntry(input: unknown, actor: string): Promise<ReturnType<typeof view>> {
  const data = parseFaq(input);
  const doc = await FaqEntry.create({ ...data, createdBy: actor, updatedBy: actor });
  await bumpConversationVersion();
  return view(doc.toObject());
}

export async function updateFaqEntry(id: string, input: unknown, actor: string): Promise<ReturnType<typeof view>> {
  const data = parseFaq(input);
  if (!Types.ObjectId.isValid(id)) throw notFound('找不到這則常見問題。', 'faq_not_found');
  const doc = await FaqEntry.findOneAndUpdate(
    { _id: id },
    { $set: { ...data, updatedBy: actor } },
    { returnDocument: 'after' },
  ).lean();
  if (!doc) throw notFound('找不到這則常見問題。', 'faq_not_found');
  await bumpConversationVersion();
  return view(doc);
}

export async function deleteFaqEntry(id: string): Promise<ReturnType<typeof view>> {
  if (!Types.ObjectId.isValid(id)) throw notFound('找不到這則常見問題。', 'faq_not_found');
  const doc = await FaqEntry.findOneAndDelete({ _id: id }).lean();
  if (!doc) throw notFound('找不到這則常見問題。', 'faq_not_found');
  await bumpConversationVersion();
  return view(doc);
}

/** Seeds entries once by key (the demo brand); entries a marketer changed since are left alone. */
export async function ensureFaqEntries(entries: Array<FaqInput & { seedKey: string }>): Promise<number> {
  let created = 0;
  for (const { seedKey, ...e } of entries) {
    const res = await FaqEntry.updateOne(
      { seedKey },
      { $setOnInsert: { ...parseFaq(e), seedKey, createdBy: 'demo-seed', updatedBy: 'demo-seed' } },
      { upsert: true },
    );
    created += res.upsertedCount;
  }
  if (created) await bumpConversationVersion();
  return created;
}
