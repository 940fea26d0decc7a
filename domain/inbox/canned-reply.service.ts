import { CannedReply } from '../../models/inbox-canned-reply.model';
import { checkLineMessage, toFieldErrors } from '../messaging/line-rules/line-message-rules';
import { badRequest, notFound } from '../shared/errors';
import { isObjectId } from '../../shared/ids';

/** Upper bound of canned replies a brand keeps (the picker shows them all). */
export const MAX_CANNED_REPLIES = 200;

export interface CannedReplyView {
  id: string;
  title: string;
  text: string;
  updatedAt: Date;
}

const view = (r: { _id: unknown; title: string; text: string; updatedAt: Date }): CannedReplyView => ({
  id: String(r._id),
  title: r.title,
  text: r.text,
  updatedAt: r.updatedAt,
});

/** A canned reply is sent as a LINE text: the same LINE rules as any authored message, before it is stored. */
function assertSendable(text: string): void {
  const issues = checkLineMessage({ type: 'text', text });
  if (issues.length)
    throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', { fields: toFieldErrors(issues) });
}

export async function listCannedReplies(): Promise<CannedReplyView[]> {
  const rows = await CannedReply.find().sort({ title: 1 }).limit(MAX_CANNED_REPLIES).lean();
  return rows.map(view);
}

export async function createCannedReply(
  input: { title: string; text: string },
  actor: string,
  now: Date,
): Promise<CannedReplyView> {
  assertSendable(input.text);
  if ((await CannedReply.estimatedDocumentCount()) >= MAX_CANNED_REPLIES)
    throw badRequest('too_many_canned_replies', `常用回覆最多 ${MAX_CANNED_REPLIES} 則，請先刪除用不到的。`);
  const doc = await CannedReply.create({ ...input, updatedBy: actor, updatedAt: now });
  return view(doc.toObject());
}

export async function updateCannedReply(
  id: string,
  input: { title: string; text: string },
  actor: string,
  now: Date,
): Promise<CannedReplyView> {
  assertSendable(input.text);
  const doc = isObjectId(id)
    ? await CannedReply.findOneAndUpdate(
        { _id: id },
        { $set: { ...input, updatedBy: actor, updatedAt: now } },
        { returnDocument: 'after' },
      ).lean()
    : null;
  if (!doc) throw notFound('找不到這則常用回覆。', 'canned_reply_not_found');
  return view(doc);
}

export async function deleteCannedReply(id: string): Promise<void> {
  const r = isObjectId(id) ? await CannedReply.deleteOne({ _id: id }) : { deletedCount: 0 };
  if (!r.deletedCount) throw notFound('找不到這則常用回覆。', 'canned_reply_not_found');
}
