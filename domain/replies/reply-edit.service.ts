import { REPLY_HISTORY_LIMIT, ReplyTemplate } from '../../models/reply-template.model';
import { checkLineMessage } from '../messaging/line-rules/line-message-rules';
import { AppError, conflict, type FieldError, notFound, validationError } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import type { PreviewMessage, ReplyEntry } from './reply-registry';
import { fillTemplate, type TemplateVars, unknownPlaceholders } from './reply-template';
import type { ReplyTexts } from './reply-texts.service';

const log = moduleLogger('reply-edit');

/** What the console shows for one editable text. */
export interface ReplyView {
  key: string;
  label: string;
  group: string;
  kind: ReplyEntry['kind'];
  hint: string | null;
  vars: string[];
  defaultText: string;
  /** The current template (the default when none is stored). */
  text: string;
  isDefault: boolean;
  /** Saves so far; send it back with the next save (0: never saved). */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
  /** The current text rendered with sample values, as LINE would show it. */
  preview: PreviewMessage;
}

export interface ReplyVersionView {
  version: number;
  text: string | null;
  action: 'edit' | 'default' | 'restore';
  by: string | null;
  at: Date;
}

export interface ReplyActor {
  id: string;
  name: string;
}

/** Sample values for previews and validation: long enough to catch a text that only fits with short names. */
export const SAMPLE_VARS: TemplateVars = {
  name: '王小明',
  points: 1280,
  balance: 3560,
  tier: '金卡',
  next_tier: '金卡',
  multiplier: 2,
  spend_needed: 12000,
  needed_amount: 12000,
  review_date: '2026/12/31',
  benefits:
    '・消費點數 2 倍\n・生日禮 2 倍\n・升等禮（每年一次）：「金卡升等禮 NT$300」、200 點、購物金 NT$300\n・保級：每年檢視時近 12 個月消費滿 NT$20,000 即可續保\n升等禮已放進您的會員卡，打開會員卡即可使用。',
  date: '2026/12/31',
  until: '2026/12/31',
  title: '生日滿千折百券',
  reward: '100 點 和 優惠券「新朋友 9 折券」',
  labels: ['咖啡', '甜點'],
  completion_points: 50,
  birthday_gift: '100 點',
  card_url: 'https://liff.line.me/2000000000-demo',
  coupon: '新朋友 9 折券',
  next_opening: '明天（週四）10:00',
  media: '照片',
};

type StoredDoc = {
  key: string;
  text: string | null;
  version: number;
  updatedAt: Date;
  updatedByName?: string | null;
  history?: Array<{ version: number; text: string | null; action: string; byName?: string | null; at: Date }>;
};

/** Every editable text with its current wording, in registry order (grouped by the console). */
export async function listReplies(texts: ReplyTexts): Promise<ReplyView[]> {
  // One document per edited key (a few dozen at most): reading them all is the point.
  const docs = (await ReplyTemplate.find({}, { history: 0 }).lean()) as StoredDoc[];
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const currentOf = (key: string) => byKey.get(key)?.text ?? texts.entries.get(key)?.defaultTemplate ?? '';
  return [...texts.entries.values()].map((e) => viewOf(e, byKey.get(e.key), currentOf));
}

/** One editable text; 404 for a key the registry does not know. */
export async function getReply(texts: ReplyTexts, key: string): Promise<ReplyView> {
  const entry = entryOf(texts, key);
  const { doc, currentOf } = await loadRelated(texts, key);
  return viewOf(entry, doc, currentOf);
}

/** The entry's document and the current template of the entries its message shows too (a notice's buttons). */
async function loadRelated(
  texts: ReplyTexts,
  key: string,
): Promise<{ doc: StoredDoc | undefined; currentOf: (k: string) => string }> {
  const docs = (await ReplyTemplate.find(
    { key: { $in: relatedKeys(texts, key) } },
    { history: 0 },
  ).lean()) as StoredDoc[];
  const byKey = new Map(docs.map((d) => [d.key, d]));
  return {
    doc: byKey.get(key),
    currentOf: (k) => byKey.get(k)?.text ?? texts.entries.get(k)?.defaultTemplate ?? '',
  };
}

/** The versions of one text, newest first. */
export async function replyHistory(texts: ReplyTexts, key: string): Promise<ReplyVersionView[]> {
  entryOf(texts, key);
  const doc = (await ReplyTemplate.findOne({ key }, { history: 1 }).lean()) as StoredDoc | null;
  return (doc?.history ?? [])
    .map((h) => ({
      version: h.version,
      text: h.text ?? null,
      action: h.action as ReplyVersionView['action'],
      by: h.byName ?? null,
      at: h.at,
    }))
    .reverse();
}

/**
 * Checks a template as the customer would receive it: not empty, only the entry's placeholders, within what the
 * builder keeps, and the final LINE message (sample values in, the other parts of the message at their current
 * wording) through the product's LINE validator. Returns that message (what the console previews) and the field
 * errors (none: it may be stored). Stores nothing.
 */
export async function previewReply(
  texts: ReplyTexts,
  key: string,
  text: string,
): Promise<{ preview: PreviewMessage | null; fields: FieldError[] }> {
  const entry = entryOf(texts, key);
  if (!text.trim()) return { preview: null, fields: [{ path: 'text', message: '請輸入訊息內容。' }] };
  const unknown = unknownPlaceholders(text, entry.vars);
  if (unknown.length) {
    const allowed = entry.vars.length
      ? `可用的變數：${entry.vars.map((v) => `{${v}}`).join('、')}`
      : '這則訊息沒有可用的變數';
    const message = `不認得的變數 ${unknown.map((v) => `{${v}}`).join('、')}。${allowed}。`;
    return { preview: null, fields: [{ path: 'text', message }] };
  }
  const filled = fillTemplate(text, SAMPLE_VARS);
  const { currentOf } = await loadRelated(texts, key);
  const preview = entry.render(filled, {
    sample: SAMPLE_VARS,
    textOf: (k) => (k === key ? filled : fillTemplate(currentOf(k), SAMPLE_VARS)),
  });
  const length = [...filled].length;
  if (entry.maxLength && length > entry.maxLength) {
    const message = `這段文字最多 ${entry.maxLength} 個字（帶入範例資料後為 ${length} 個字）。`;
    return { preview, fields: [{ path: 'text', message }] };
  }
  return { preview, fields: checkLineMessage(preview).map((i) => ({ path: 'text', message: i.message })) };
}

async function checkReplyText(texts: ReplyTexts, key: string, text: string): Promise<FieldError[]> {
  return (await previewReply(texts, key, text)).fields;
}

/**
 * Saves a new version of one text. `expectedVersion` is the version the marketer edited (0 for a text never
 * saved): a stale one is refused (409) so one marketer never overwrites another's edit unseen. Invalid text → 400
 * with field errors, nothing stored. This instance's copy applies the edit at once; others within their TTL.
 */
export async function saveReply(
  texts: ReplyTexts,
  key: string,
  input: { text: string; expectedVersion: number },
  actor: ReplyActor,
  now: Date,
): Promise<ReplyView> {
  const fields = await checkReplyText(texts, key, input.text);
  if (fields.length) throw validationError(fields);
  await writeVersion(texts, key, input.expectedVersion, input.text, 'edit', actor, now);
  return getReply(texts, key);
}

/**
 * Restores the built-in default (`toVersion` absent) or an earlier version from the history, as a new version.
 * An earlier version is validated again (the rules or the other parts of the message may have changed since).
 */
export async function restoreReply(
  texts: ReplyTexts,
  key: string,
  input: { expectedVersion: number; toVersion?: number },
  actor: ReplyActor,
  now: Date,
): Promise<ReplyView> {
  entryOf(texts, key);
  if (input.toVersion === undefined) {
    await writeVersion(texts, key, input.expectedVersion, null, 'default', actor, now);
    return getReply(texts, key);
  }
  const history = await replyHistory(texts, key);
  const target = history.find((h) => h.version === input.toVersion);
  if (!target) throw notFound('找不到這個版本。', 'reply_version_not_found');
  if (target.text === null) {
    await writeVersion(texts, key, input.expectedVersion, null, 'restore', actor, now);
    return getReply(texts, key);
  }
  const fields = await checkReplyText(texts, key, target.text);
  if (fields.length) throw validationError(fields);
  await writeVersion(texts, key, input.expectedVersion, target.text, 'restore', actor, now);
  return getReply(texts, key);
}

/** One conditional write: the version must still be the one the marketer saw (an upsert for the first save). */
async function writeVersion(
  texts: ReplyTexts,
  key: string,
  expectedVersion: number,
  text: string | null,
  action: 'edit' | 'default' | 'restore',
  actor: ReplyActor,
  now: Date,
): Promise<void> {
  const version = expectedVersion + 1;
  const update = {
    $set: { text, version, updatedAt: now, updatedById: actor.id, updatedByName: actor.name },
    $push: {
      history: {
        $each: [{ version, text, action, byId: actor.id, byName: actor.name, at: now }],
        $slice: -REPLY_HISTORY_LIMIT,
      },
    },
  };
  try {
    const res =
      expectedVersion === 0
        ? await ReplyTemplate.updateOne({ key, version: { $exists: false } }, update, {
            upsert: true,
          })
        : await ReplyTemplate.updateOne({ key, version: expectedVersion }, update);
    if (res.matchedCount === 0 && res.upsertedCount === 0) throw staleEdit();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: number }).code === 11000) throw staleEdit();
    throw err;
  }
  texts.invalidate();
  log.info({ key, version, action, actor: actor.id }, 'reply text saved');
}

const staleEdit = () =>
  conflict('reply_version_conflict', '這則訊息剛剛已被其他人修改，請重新整理後再編輯。', {
    fields: [{ path: 'text', message: '這則訊息剛剛已被其他人修改，請重新整理後再編輯。' }],
  });

function entryOf(texts: ReplyTexts, key: string): ReplyEntry {
  const entry = texts.entries.get(key);
  if (!entry) throw notFound('找不到這則訊息。', 'reply_not_found');
  return entry;
}

/** The entry and the entries its message shows too (a notice's buttons, a card's title): all their current text. */
function relatedKeys(texts: ReplyTexts, key: string): string[] {
  const prefix = key.slice(0, key.lastIndexOf('.') + 1);
  return [...texts.entries.keys()].filter((k) => k === key || (prefix && k.startsWith(prefix)));
}

function viewOf(entry: ReplyEntry, doc: StoredDoc | undefined, currentOf: (key: string) => string): ReplyView {
  const text = doc?.text ?? entry.defaultTemplate;
  const filled = fillTemplate(text, SAMPLE_VARS);
  return {
    key: entry.key,
    label: entry.label,
    group: entry.group,
    kind: entry.kind,
    hint: entry.hint ?? null,
    vars: entry.vars,
    defaultText: entry.defaultTemplate,
    text,
    isDefault: doc?.text == null,
    version: doc?.version ?? 0,
    updatedAt: doc?.updatedAt ?? null,
    updatedBy: doc?.updatedByName ?? null,
    preview: entry.render(filled, {
      sample: SAMPLE_VARS,
      textOf: (k) => fillTemplate(k === entry.key ? text : currentOf(k), SAMPLE_VARS),
    }),
  };
}
