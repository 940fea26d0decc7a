import { WebhookEvent } from '../../../models/webhook-event.model';
import { Member } from '../../../models/member.model';
import type { InboxEntry } from '../../helpers/emulator-client';
import type { TestEnv } from '../../helpers/test-env';

/**
 * Drives one emulated LINE user through the real webhook and reads what the bot answered. Each action waits
 * until the bot has finished processing that webhook event (its stored status), so assertions never race the
 * handler and no test sleeps.
 */
export class ChatUser {
  private seen = 0;

  private constructor(
    readonly env: TestEnv,
    readonly userId: string,
  ) {}

  static async create(env: TestEnv, displayName = '測試會員'): Promise<ChatUser> {
    const u = await env.emulator.createUser(displayName);
    return new ChatUser(env, u.userId);
  }

  follow() {
    return this.act(() => this.env.emulator.follow(this.userId));
  }
  unfollow() {
    return this.act(() => this.env.emulator.unfollow(this.userId));
  }
  say(text: string) {
    return this.act(() => this.env.emulator.text(this.userId, text));
  }
  tap(data: string, params?: Record<string, string>) {
    return this.act(() => this.env.emulator.postback(this.userId, data, params));
  }
  sticker() {
    return this.act(() => this.env.emulator.call('POST', `/_emulator/users/${this.userId}/sticker`, {}));
  }
  image() {
    return this.act(() => this.env.emulator.call('POST', `/_emulator/users/${this.userId}/image`, {}));
  }
  location() {
    return this.act(() =>
      this.env.emulator.call('POST', `/_emulator/users/${this.userId}/location`, {
        title: '門市',
        address: '台北市信義區',
        latitude: 25.03,
        longitude: 121.56,
      }),
    );
  }

  /** Runs a user action and returns the messages the bot sent in answer to it. */
  async act(action: () => Promise<{ webhookEventId: string; webhookStatus: number }>): Promise<Answer> {
    const r = await action();
    if (r.webhookStatus !== 200) throw new Error(`webhook answered ${r.webhookStatus}`);
    await waitProcessed(r.webhookEventId);
    const inbox = await this.env.emulator.messages(this.userId, 0);
    const fresh = inbox.slice(this.seen);
    this.seen = inbox.length;
    return new Answer(r.webhookEventId, fresh);
  }

  member() {
    return Member.findOne({ lineUserId: this.userId }).select('+pointKeys').lean();
  }
}

/** What the bot sent for one event, with readable accessors. */
export class Answer {
  constructor(
    readonly webhookEventId: string,
    readonly entries: InboxEntry[],
  ) {}
  get messages(): any[] {
    return this.entries.map((e) => e.message);
  }
  /** Text of each message (flex → altText, sticker → [sticker]). */
  get texts(): string[] {
    return this.messages.map((m) => (m.type === 'text' ? m.text : (m.altText ?? `[${m.type}]`)));
  }
  get all(): string {
    return this.texts.join('\n---\n');
  }
  /** Quick-reply labels of the last message. */
  get buttons(): string[] {
    return (this.messages.at(-1)?.quickReply?.items ?? []).map((i: any) => i.action.label);
  }
  /** Postback data of a quick-reply button by label. */
  data(label: string): string {
    const item = (this.messages.at(-1)?.quickReply?.items ?? []).find((i: any) => i.action.label === label);
    if (!item) throw new Error(`no button "${label}" in ${JSON.stringify(this.buttons)}`);
    return item.action.data;
  }
  get via(): string[] {
    return this.entries.map((e) => e.via);
  }
}

/** Polls the stored event until the pipeline finished it (done, ignored or failed). */
export async function waitProcessed(webhookEventId: string, timeoutMs = 8000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = await WebhookEvent.findOne({ webhookEventId }, { status: 1 }).lean();
    if (e && ['done', 'ignored', 'failed'].includes(e.status as string)) return e.status as string;
    if (Date.now() > until) throw new Error(`event ${webhookEventId} not processed (status ${e?.status ?? 'missing'})`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A follower who accepted the notice and answered (or skipped) nothing yet. */
export async function consentedUser(env: TestEnv, name?: string): Promise<ChatUser> {
  const u = await ChatUser.create(env, name);
  await u.follow();
  await u.tap('consent:accept');
  return u;
}
