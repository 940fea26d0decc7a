import { AutoReplyRule } from '../../models/auto-reply-rule.model';
import { FaqEntry } from '../../models/faq-entry.model';
import { Settings } from '../../models/settings.model';
import type { RuleView } from './auto-reply-rules';
import type { RuleReply } from './conversation.schema';
import { buildMatchIndex, type MatchIndex } from './matcher';

/**
 * The FAQ and the auto-reply rules as the chat reads them: loaded once per process and kept, so a message costs no
 * database read for them. Every write bumps a version stamp (one small settings document); a process checks that
 * stamp at most every CHECK_MS, so an edit made through another instance applies there within seconds, and the
 * instance that wrote it drops its copy at once.
 */

export interface FaqView {
  id: string;
  question: string;
  alternatives: string[];
  answer: string;
  active: boolean;
}
export interface CachedRule extends RuleView {
  reply: RuleReply;
  tags: string[];
}
export interface ConversationContent {
  version: number;
  faq: Map<string, FaqView>;
  index: MatchIndex;
  rules: CachedRule[];
}

const VERSION_KEY = 'conversation-content';
export const CHECK_MS = 3000;

let cached: ConversationContent | null = null;
let checkedAt = 0;
let loading: Promise<ConversationContent> | null = null;

/** The cached content; re-read only when the version stamp moved (checked at most every CHECK_MS). */
export async function getConversationContent(now = Date.now()): Promise<ConversationContent> {
  if (cached && now - checkedAt < CHECK_MS) return cached;
  loading ??= refresh(now).finally(() => (loading = null));
  return loading;
}

async function refresh(now: number): Promise<ConversationContent> {
  const version = await currentVersion();
  checkedAt = now;
  if (cached && cached.version === version) return cached;
  cached = await load(version);
  return cached;
}

async function currentVersion(): Promise<number> {
  const doc = await Settings.findOne({ key: VERSION_KEY }, { version: 1 }).lean();
  return doc?.version ?? 0;
}

async function load(version: number): Promise<ConversationContent> {
  const [entries, rules] = await Promise.all([
    FaqEntry.find({}).sort({ updatedAt: -1 }).lean(),
    AutoReplyRule.find({}).sort({ priority: -1, updatedAt: -1 }).lean(),
  ]);
  const faq = new Map<string, FaqView>();
  for (const e of entries) {
    faq.set(String(e._id), {
      id: String(e._id),
      question: e.question,
      alternatives: e.alternatives ?? [],
      answer: e.answer,
      active: e.active !== false,
    });
  }
  const index = buildMatchIndex(
    [...faq.values()].filter((e) => e.active).map((e) => ({ id: e.id, phrases: [e.question, ...e.alternatives] })),
  );
  return {
    version,
    faq,
    index,
    rules: rules
      .filter((r) => r.active !== false)
      .map((r) => ({
        id: String(r._id),
        name: r.name,
        mode: r.mode as RuleView['mode'],
        words: r.words ?? [],
        priority: r.priority ?? 0,
        days: r.days ?? [],
        from: r.from ?? null,
        to: r.to ?? null,
        active: true,
        reply: r.reply as unknown as RuleReply,
        tags: r.tags ?? [],
      })),
  };
}

/** After a write: the stamp moves (other instances re-read within CHECK_MS) and this process drops its copy. */
export async function bumpConversationVersion(): Promise<void> {
  await Settings.updateOne(
    { key: VERSION_KEY },
    { $inc: { version: 1 }, $setOnInsert: { value: {} } },
    { upsert: true },
  );
  cached = null;
  checkedAt = 0;
}
