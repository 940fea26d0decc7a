import { type EmuContext, nowIso } from './context';
import { newMarkAsReadToken, newMessageId, newQuoteToken, newUserId } from './ids';
import { type IssueIdTokenOptions, issueIdToken } from './idtoken';
import { publicMenu } from './richmenu';
import type { EmuUser, InboxEntry } from './store';
import { type DeliverOptions, type DeliveryResult, WebhookDispatcher } from './webhook';

type Obj = Record<string, unknown>;

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CreateUserInput {
  displayName?: string;
  userId?: string;
  pictureUrl?: string;
  language?: string;
  statusMessage?: string;
  /**
   * Restore a friendship that already exists on the bot's side (e.g. after a local restart, whose emulator starts
   * empty while the database persisted) without sending a follow event. Default 'never'.
   */
  status?: 'never' | 'following' | 'unfollowed';
}

/** The result of an emulated user action: the event id and the HTTP status the bot's webhook answered. */
export interface UserActionResult {
  webhookEventId: string;
  webhookStatus: number;
  replyToken: string | null;
}

// A 1x1 transparent PNG stands in for photos the emulated user "sends".
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** User-side behaviour of the emulated LINE app, shared by the control API and the in-process accessors. */
export class EmulatorCore {
  readonly webhook: WebhookDispatcher;

  constructor(readonly ctx: EmuContext) {
    this.webhook = new WebhookDispatcher(ctx);
  }

  createUser(input: CreateUserInput = {}): EmuUser {
    const { store } = this.ctx;
    if (input.userId !== undefined && !/^U[0-9a-f]{32}$/.test(input.userId)) {
      throw new EmulatorError(400, "userId must look like a LINE user id: 'U' followed by 32 lowercase hex characters");
    }
    if (input.userId && store.users.has(input.userId))
      throw new EmulatorError(409, `user ${input.userId} already exists`);
    const user: EmuUser = {
      userId: input.userId ?? newUserId(),
      displayName: input.displayName?.trim() || store.nextDisplayName(),
      ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}),
      ...(input.statusMessage ? { statusMessage: input.statusMessage } : {}),
      language: input.language ?? 'zh-TW',
      status: input.status ?? 'never',
      createdAt: nowIso(),
    };
    store.users.set(user.userId, user);
    return user;
  }

  user(userId: string): EmuUser {
    const u = this.ctx.store.users.get(userId);
    if (!u) throw new EmulatorError(404, `unknown user ${userId}; create it with POST /_emulator/users`);
    return u;
  }

  private async emit(user: EmuUser, event: Obj): Promise<UserActionResult> {
    const r: DeliveryResult = await this.webhook.deliver([{ ...event, source: { type: 'user', userId: user.userId } }]);
    return { webhookEventId: r.webhookEventIds[0], webhookStatus: r.webhookStatus, replyToken: r.replyTokens[0] };
  }

  /** Chat messages from a user who blocked the account are impossible in LINE, so refuse them loudly. */
  private chatter(userId: string): EmuUser {
    const u = this.user(userId);
    if (u.status === 'unfollowed')
      throw new EmulatorError(409, `user ${userId} has blocked (unfollowed) the account; follow first`);
    return u;
  }

  follow(userId: string): Promise<UserActionResult> {
    const u = this.user(userId);
    const isUnblocked = u.status === 'unfollowed';
    u.status = 'following';
    return this.emit(u, { type: 'follow', follow: { isUnblocked } });
  }

  unfollow(userId: string): Promise<UserActionResult> {
    const u = this.user(userId);
    u.status = 'unfollowed';
    return this.emit(u, { type: 'unfollow' });
  }

  private sendMessage(userId: string, content: Obj): Promise<UserActionResult> {
    const u = this.chatter(userId);
    const markAsReadToken = newMarkAsReadToken();
    const message = { id: newMessageId(), quoteToken: newQuoteToken(), markAsReadToken, ...content };
    this.ctx.store.readTokens.set(markAsReadToken, { userId, messageId: String(message.id) });
    this.ctx.store.addConversation(userId, { from: 'user', message, at: nowIso() });
    return this.emit(u, { type: 'message', message });
  }

  text(userId: string, text: string): Promise<UserActionResult> {
    if (typeof text !== 'string' || !text.length) throw new EmulatorError(400, 'text is required');
    return this.sendMessage(userId, { type: 'text', text });
  }

  sticker(userId: string, packageId = '446', stickerId = '1988'): Promise<UserActionResult> {
    return this.sendMessage(userId, {
      type: 'sticker',
      packageId,
      stickerId,
      stickerResourceType: 'STATIC',
      keywords: [],
    });
  }

  image(userId: string, bytes: Buffer = TINY_PNG, contentType = 'image/png'): Promise<UserActionResult> {
    const id = newMessageId();
    this.ctx.store.contents.set(id, { contentType, bytes });
    return this.sendMessage(userId, { id, type: 'image', contentProvider: { type: 'line' } });
  }

  location(
    userId: string,
    loc: { title?: string; address?: string; latitude: number; longitude: number },
  ): Promise<UserActionResult> {
    if (typeof loc.latitude !== 'number' || typeof loc.longitude !== 'number') {
      throw new EmulatorError(400, 'latitude and longitude (numbers) are required');
    }
    return this.sendMessage(userId, {
      type: 'location',
      ...(loc.title ? { title: loc.title } : {}),
      ...(loc.address ? { address: loc.address } : {}),
      latitude: loc.latitude,
      longitude: loc.longitude,
    });
  }

  postback(
    userId: string,
    data: string,
    params?: Record<string, string>,
    displayText?: string,
  ): Promise<UserActionResult> {
    if (typeof data !== 'string') throw new EmulatorError(400, 'data is required');
    const u = this.chatter(userId);
    // LINE shows displayText in the chat as if the user typed it; the bot still gets only the postback.
    if (displayText)
      this.ctx.store.addConversation(userId, {
        from: 'user',
        message: { type: 'text', text: displayText },
        at: nowIso(),
      });
    return this.emit(u, { type: 'postback', postback: { data, ...(params ? { params } : {}) } });
  }

  deliverEvents(events: Obj[], opts: DeliverOptions = {}): Promise<DeliveryResult> {
    return this.webhook.deliver(events, opts);
  }

  async redeliver(webhookEventId: string): Promise<UserActionResult> {
    const r = await this.webhook.redeliver(webhookEventId);
    if (!r) throw new EmulatorError(404, `unknown webhookEventId ${webhookEventId}`);
    return { webhookEventId, webhookStatus: r.webhookStatus, replyToken: r.replyTokens[0] };
  }

  messages(userId: string): InboxEntry[] {
    return this.ctx.store.inbox(userId);
  }

  issueIdToken(userId: string, opts: IssueIdTokenOptions = {}): { idToken: string; exp: number } {
    this.user(userId);
    return issueIdToken(this.ctx, userId, opts);
  }

  /** The menu LINE would show this user: their linked menu, else the default. */
  effectiveRichMenu(userId: string): (ReturnType<typeof publicMenu> & { linked: boolean; hasImage: boolean }) | null {
    const { store } = this.ctx;
    const linked = store.userRichMenus.get(userId);
    const id = linked ?? store.defaultRichMenuId;
    const m = id ? store.richMenus.get(id) : undefined;
    return m ? { ...publicMenu(m), linked: Boolean(linked), hasImage: Boolean(m.image) } : null;
  }

  richMenuOverview() {
    const { store } = this.ctx;
    return {
      richMenus: [...store.richMenus.values()].map((m) => ({
        ...publicMenu(m),
        hasImage: Boolean(m.image),
        imageContentType: m.image?.contentType ?? null,
      })),
      defaultRichMenuId: store.defaultRichMenuId,
      userLinks: Object.fromEntries(store.userRichMenus),
      aliases: Object.fromEntries(store.aliases),
    };
  }
}
