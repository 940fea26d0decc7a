import { createHash } from 'node:crypto';
import { ConsoleUser } from '../../models/console-user.model';
import { Member } from '../../models/member.model';
import { TestRecipient } from '../../models/test-recipient.model';
import { generateShortCode, normalizeShortCode } from '../coupons/short-code';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { getCampaign, sendTestMessage } from './campaign.service';

/**
 * Campaign test sends go only to LINE accounts on the test-recipient list: a console user's own LINE, proven by a
 * one-time code typed in the chat, or a follower an admin added. Never to a member picked at send time.
 */

export const LINK_CODE_LENGTH = 8;
export const LINK_CODE_TTL_MS = 10 * 60_000;
/** What the console user types in the chat: 「連結 ABCD2345」 (spaces, a colon and a dash are forgiven). */
const LINK_MESSAGE = /^連結\s*[:：]?\s*([A-Za-z0-9-]{8,9})$/;

export const testRecipientText = {
  linkMessage: (code: string) => `連結 ${code}`,
  linked: (name: string) => `已將這個 LINE 帳號連結到主控台帳號「${name}」，之後活動的測試訊息會送到這裡。`,
  badCode: '這組連結碼無效或已過期，請回主控台「我的帳號」重新產生。',
  linkedLabel: (name: string) => `${name} 的 LINE`,
  notFollower: '這個 LINE userId 不是官方帳號的好友，無法設為測試對象。',
  exists: '這個 LINE 帳號已經在測試名單中了。',
  notListed: '這個 LINE 帳號不在測試名單中：請在「我的帳號」連結您的 LINE，或請管理員在「設定」加入測試對象。',
  noneForMe: '還沒有測試對象：請在「我的帳號」連結您的 LINE，或請管理員在「設定」加入測試對象。',
} as const;

export interface TestRecipientView {
  id: string;
  lineUserId: string;
  label: string;
  source: 'linked' | 'admin';
  consoleUserId?: string;
  createdAt?: Date;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

function toView(r: {
  _id: unknown;
  lineUserId: string;
  label: string;
  source: string;
  consoleUserId?: string | null;
  createdAt?: Date | null;
}): TestRecipientView {
  return {
    id: String(r._id),
    lineUserId: r.lineUserId,
    label: r.label,
    source: r.source as TestRecipientView['source'],
    ...(r.consoleUserId ? { consoleUserId: r.consoleUserId } : {}),
    ...(r.createdAt ? { createdAt: r.createdAt } : {}),
  };
}

/** The list, linked accounts first. */
export async function listTestRecipients(): Promise<TestRecipientView[]> {
  const rows = await TestRecipient.find({}).sort({ source: -1, createdAt: 1 }).lean();
  return rows.map(toView);
}

/** An admin adds a follower of the account (active, not erased) by LINE userId. */
export async function addTestRecipient(input: {
  lineUserId: string;
  label: string;
  actor: string;
}): Promise<TestRecipientView> {
  const follower = await Member.exists({ lineUserId: input.lineUserId, status: 'active', erasedAt: null });
  if (!follower) throw badRequest('not_a_follower', testRecipientText.notFollower);
  try {
    const doc = await TestRecipient.create({
      lineUserId: input.lineUserId,
      label: input.label,
      source: 'admin',
      addedBy: input.actor,
    });
    return toView(doc);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw conflict('test_recipient_exists', testRecipientText.exists);
    throw err;
  }
}

export async function removeTestRecipient(id: string): Promise<TestRecipientView> {
  const doc = await TestRecipient.findOneAndDelete({ _id: id }).lean();
  if (!doc) throw notFound('找不到這個測試對象。', 'test_recipient_not_found');
  if (doc.consoleUserId)
    await ConsoleUser.updateOne({ _id: doc.consoleUserId, lineUserId: doc.lineUserId }, { $unset: { lineUserId: 1 } });
  return toView(doc);
}

/**
 * A fresh one-time code for the signed-in console user (replaces any earlier one). Only its hash is stored; the
 * code is shown once, with the message to type in the chat.
 */
export async function createLineLinkCode(
  consoleUserId: string,
  now: Date,
): Promise<{ code: string; message: string; expiresAt: Date }> {
  const code = generateShortCode(LINK_CODE_LENGTH);
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  const res = await ConsoleUser.updateOne(
    { _id: consoleUserId, status: 'active' },
    { $set: { lineLinkCodeHash: hashCode(code), lineLinkCodeExpiresAt: expiresAt } },
  );
  if (res.matchedCount === 0) throw notFound('找不到這個帳號。', 'user_not_found');
  return { code, message: testRecipientText.linkMessage(code), expiresAt };
}

/**
 * The chat side: when `text` is a link message, consumes the code (once, before it expires) and makes the sender's
 * LINE account the console user's test recipient. Returns the reply, or null when the text is not a link message.
 */
export async function claimLineLinkCode(input: {
  lineUserId: string;
  text: string;
  now: Date;
}): Promise<{ linked: boolean; reply: string } | null> {
  const match = LINK_MESSAGE.exec(input.text.normalize('NFKC').trim());
  if (!match) return null;
  const code = normalizeShortCode(match[1]);
  if (!code || code.length !== LINK_CODE_LENGTH) return { linked: false, reply: testRecipientText.badCode };
  // One conditional update consumes the code: two messages with the same code link once.
  const user = await ConsoleUser.findOneAndUpdate(
    { lineLinkCodeHash: hashCode(code), lineLinkCodeExpiresAt: { $gt: input.now }, status: 'active' },
    { $set: { lineUserId: input.lineUserId }, $unset: { lineLinkCodeHash: 1, lineLinkCodeExpiresAt: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!user) return { linked: false, reply: testRecipientText.badCode };
  const consoleUserId = String(user._id);
  await TestRecipient.deleteMany({ consoleUserId, lineUserId: { $ne: input.lineUserId } });
  await TestRecipient.findOneAndUpdate(
    { lineUserId: input.lineUserId },
    {
      $set: {
        label: testRecipientText.linkedLabel(user.displayName),
        source: 'linked',
        consoleUserId,
        addedBy: consoleUserId,
      },
    },
    { upsert: true },
  );
  return { linked: true, reply: testRecipientText.linked(user.displayName) };
}

/** The console user unlinks their own LINE: it leaves the test list too. */
export async function unlinkOwnLine(consoleUserId: string): Promise<{ lineUserId: string | null }> {
  const before = await ConsoleUser.findOneAndUpdate(
    { _id: consoleUserId },
    { $unset: { lineUserId: 1, lineLinkCodeHash: 1, lineLinkCodeExpiresAt: 1 } },
  ).lean();
  await TestRecipient.deleteMany({ consoleUserId });
  return { lineUserId: before?.lineUserId ?? null };
}

/**
 * Sends a campaign's test to `requested` when it is on the list, else to the caller's own linked LINE when that is.
 * 400 `not_test_recipient` for anybody else; 400 `no_test_recipient` when the caller has none.
 */
export async function sendCampaignTest(
  ctx: Parameters<typeof sendTestMessage>[0],
  input: { campaignId: string; requested?: string; caller: { id: string }; variant?: string },
): Promise<{ campaign: Awaited<ReturnType<typeof getCampaign>>; recipient: TestRecipientView }> {
  const recipient = input.requested
    ? await TestRecipient.findOne({ lineUserId: input.requested }).lean()
    : await TestRecipient.findOne({ consoleUserId: input.caller.id }).lean();
  if (!recipient) {
    throw input.requested
      ? new AppError('not_test_recipient', 400, testRecipientText.notListed)
      : badRequest('no_test_recipient', testRecipientText.noneForMe);
  }
  const campaign = await getCampaign(input.campaignId);
  await sendTestMessage(ctx, campaign.id, recipient.lineUserId, input.variant);
  return { campaign, recipient: toView(recipient) };
}
