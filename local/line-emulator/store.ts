/**
 * All emulator state lives here, in memory, so `reset()` is one call and every module (HTTP routes and
 * in-process accessors) reads the same data.
 */
export type FollowStatus = 'never' | 'following' | 'unfollowed';
export type SendApi = 'reply' | 'push' | 'multicast' | 'narrowcast' | 'broadcast';

export interface EmuUser {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language: string;
  status: FollowStatus;
  createdAt: string;
}

export interface InboxEntry {
  id: string;
  via: SendApi;
  message: Record<string, unknown>;
  at: string;
}

/** Both directions of a chat, for the dev chat page. */
export interface ConversationEntry {
  from: 'user' | 'bot';
  via?: SendApi;
  message: Record<string, unknown>;
  at: string;
  /** A user's message the account marked as read (既讀 in the LINE app). */
  read?: boolean;
}

export interface LoadingLogEntry {
  chatId: string;
  loadingSeconds: number;
  at: string;
}

export interface ReadLogEntry {
  userId: string;
  messageId: string;
  markAsReadToken: string;
  at: string;
}

export interface PushLogEntry {
  id: string;
  api: SendApi;
  to: string[];
  retryKey: string | null;
  status: number;
  messages: unknown[];
  at: string;
  /** True when at least one recipient got it in their inbox. */
  delivered: boolean;
  deliveredTo: string[];
  error?: string;
}

export interface ReplyTokenInfo {
  userId: string | null;
  expiresAt: number;
  used: boolean;
  webhookEventId: string;
}

export interface AcceptedRequest {
  requestId: string;
  sentMessages?: { id: string; quoteToken?: string }[];
}

export interface NarrowcastProgress {
  phase: 'succeeded';
  successCount: number;
  failureCount: number;
  targetCount: number;
  acceptedTime: string;
  completedTime: string;
}

export interface RichMenuRecord {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: unknown[];
  image?: { contentType: string; bytes: Buffer };
}

/** One call to a rich-menu link endpoint, as the emulator answered it (tests count bulk calls and 429s). */
export interface RichMenuCall {
  endpoint: 'link' | 'unlink' | 'bulk/link' | 'bulk/unlink';
  users: number;
  richMenuId: string | null;
  status: number;
  at: string;
}

export interface WebhookDelivery {
  webhookEventIds: string[];
  url: string | null;
  status: number;
  redelivery: boolean;
  at: string;
  error?: string;
}

import type { UnitInteraction, UnitSend } from './insight';

type Waiter = { userId: string; min: number; wake: () => void };

export class Store {
  users = new Map<string, EmuUser>();
  inboxes = new Map<string, InboxEntry[]>();
  conversations = new Map<string, ConversationEntry[]>();
  pushLog: PushLogEntry[] = [];
  replyTokens = new Map<string, ReplyTokenInfo>();
  acceptedRetryKeys = new Map<string, AcceptedRequest>();
  events = new Map<string, Record<string, unknown>>();
  webhookDeliveries: WebhookDelivery[] = [];
  narrowcasts = new Map<string, NarrowcastProgress>();
  contents = new Map<string, { contentType: string; bytes: Buffer }>();
  richMenus = new Map<string, RichMenuRecord>();
  defaultRichMenuId: string | null = null;
  userRichMenus = new Map<string, string>();
  aliases = new Map<string, string>();
  richMenuCalls: RichMenuCall[] = [];
  monthlyQuota: number;
  quotaUsage = 0;
  /** Users whose chat shows the loading animation, until when (ms since epoch). */
  loading = new Map<string, { until: number }>();
  loadingLog: LoadingLogEntry[] = [];
  /** markAsReadToken → the user message it came with. */
  readTokens = new Map<string, { userId: string; messageId: string }>();
  readLog: ReadLogEntry[] = [];
  /** Accepted push/multicast sends that named a custom aggregation unit. */
  unitSends: UnitSend[] = [];
  /** Opens and URL taps on unit messages (control API). */
  unitInteractions: UnitInteraction[] = [];
  /** yyyyMM (UTC+9) → unit names used that month. */
  unitMonths = new Map<string, Set<string>>();
  /** Insight figures below this are null, as LINE does for privacy (default 20). */
  insightMinCount = 20;
  private waiters = new Set<Waiter>();
  private userSeq = 0;

  constructor(private readonly initialQuota: number) {
    this.monthlyQuota = initialQuota;
  }

  nextDisplayName(): string {
    this.userSeq += 1;
    return `測試用戶 ${this.userSeq}`;
  }

  addInbox(userId: string, entry: InboxEntry): void {
    const list = this.inboxes.get(userId) ?? [];
    list.push(entry);
    this.inboxes.set(userId, list);
    // The account's message ends the loading animation, as in the LINE app.
    this.loading.delete(userId);
    this.addConversation(userId, { from: 'bot', via: entry.via, message: entry.message, at: entry.at });
    for (const w of [...this.waiters]) if (w.userId === userId && list.length >= w.min) w.wake();
  }

  addConversation(userId: string, entry: ConversationEntry): void {
    const list = this.conversations.get(userId) ?? [];
    list.push(entry);
    this.conversations.set(userId, list);
  }

  /** Marks the user's message and every earlier one of theirs as read. */
  markRead(userId: string, messageId: string): void {
    const list = this.conversations.get(userId) ?? [];
    const i = list.findIndex((e) => e.from === 'user' && e.message.id === messageId);
    for (let j = 0; j <= i; j++) if (list[j].from === 'user') list[j].read = true;
  }

  /** What the chat screen shows besides the messages: the loading animation (while it lasts). */
  chatState(userId: string): { loading: boolean; loadingUntil: string | null } {
    const l = this.loading.get(userId);
    if (l && l.until <= Date.now()) this.loading.delete(userId);
    const live = this.loading.get(userId);
    return { loading: Boolean(live), loadingUntil: live ? new Date(live.until).toISOString() : null };
  }

  inbox(userId: string): InboxEntry[] {
    return [...(this.inboxes.get(userId) ?? [])];
  }

  clearInbox(userId: string): void {
    this.inboxes.delete(userId);
    this.conversations.delete(userId);
  }

  /** Resolves once the user's inbox holds at least `min` entries, or after `timeoutMs` (then with what exists). */
  waitForInbox(
    userId: string,
    min: number,
    timeoutMs: number,
    onCancel?: (cancel: () => void) => void,
  ): Promise<InboxEntry[]> {
    if (this.inbox(userId).length >= min || timeoutMs <= 0) return Promise.resolve(this.inbox(userId));
    return new Promise((resolve) => {
      const waiter: Waiter = {
        userId,
        min,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.inbox(userId));
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
      onCancel?.(waiter.wake);
    });
  }

  /** Releases every pending long-poll (used by reset and close so no timer outlives the emulator). */
  wakeAll(): void {
    for (const w of [...this.waiters]) w.wake();
  }

  resetPushLog(): void {
    this.pushLog = [];
  }

  reset(): void {
    this.wakeAll();
    this.users.clear();
    this.inboxes.clear();
    this.conversations.clear();
    this.pushLog = [];
    this.replyTokens.clear();
    this.acceptedRetryKeys.clear();
    this.events.clear();
    this.webhookDeliveries = [];
    this.narrowcasts.clear();
    this.contents.clear();
    this.richMenus.clear();
    this.defaultRichMenuId = null;
    this.userRichMenus.clear();
    this.aliases.clear();
    this.richMenuCalls = [];
    this.monthlyQuota = this.initialQuota;
    this.quotaUsage = 0;
    this.userSeq = 0;
    this.loading.clear();
    this.loadingLog = [];
    this.readTokens.clear();
    this.readLog = [];
    this.unitSends = [];
    this.unitInteractions = [];
    this.unitMonths.clear();
    this.insightMinCount = 20;
  }
}
