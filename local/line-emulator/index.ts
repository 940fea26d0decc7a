import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { EmuContext } from './context';
import { type CreateUserInput, EmulatorCore, type UserActionResult } from './core';
import { type FaultConfig, FaultGate } from './faults';
import { botUserIdFor } from './ids';
import type { IssueIdTokenOptions } from './idtoken';
import { type UnitInteraction, clickUnitUrl, openUnitMessage } from './insight';
import { createEmulatorApp } from './server';
import { type EmuUser, type InboxEntry, type PushLogEntry, Store, type WebhookDelivery } from './store';
import type { DeliverOptions, DeliveryResult } from './webhook';
import type { Server } from 'node:http';

export { createDevChatRouter } from './dev-chat';
export { signBody } from './webhook';
export type {
  CreateUserInput,
  DeliverOptions,
  DeliveryResult,
  EmuUser,
  FaultConfig,
  InboxEntry,
  PushLogEntry,
  UserActionResult,
  WebhookDelivery,
};

export interface LineEmulatorOptions {
  /** 0 (default) = pick a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  channelSecret: string;
  channelAccessToken: string;
  /** The LIFF/LINE Login channel id used as `aud` of ID tokens. */
  liffChannelId: string;
  webhookUrl?: string;
  /** Default 60000. */
  replyTokenTtlMs?: number;
  /** Default 500. */
  monthlyQuota?: number;
  /** Seed for fault randomness (random when omitted). */
  seed?: number;
  /** How long to wait for the bot's webhook to answer; default 10000. */
  webhookTimeoutMs?: number;
  logger?: (line: string) => void;
  /** Browser origins allowed to call the control API (CORS); default none. */
  allowedOrigins?: string[];
}

export interface LineEmulator {
  baseURL: string;
  port: number;
  /** Webhook `destination` (the bot's own user id). */
  botUserId: string;
  setWebhookUrl(url: string | null): void;
  /** Replaces the browser origins allowed to call the control API. */
  setAllowedOrigins(origins: string[]): void;
  close(): Promise<void>;
  // In-process mirrors of the control API (same behaviour, no HTTP).
  createUser(input?: CreateUserInput): EmuUser;
  getUser(userId: string): EmuUser | undefined;
  listUsers(): EmuUser[];
  follow(userId: string): Promise<UserActionResult>;
  unfollow(userId: string): Promise<UserActionResult>;
  sendText(userId: string, text: string): Promise<UserActionResult>;
  sendPostback(userId: string, data: string, params?: Record<string, string>): Promise<UserActionResult>;
  deliverEvents(events: Record<string, unknown>[], opts?: DeliverOptions): Promise<DeliveryResult>;
  redeliver(webhookEventId: string): Promise<UserActionResult>;
  messagesFor(userId: string): InboxEntry[];
  waitForMessages(userId: string, min: number, timeoutMs?: number): Promise<InboxEntry[]>;
  clearMessages(userId: string): void;
  pushLog(): PushLogEntry[];
  webhookDeliveries(): WebhookDelivery[];
  setFaults(patch: Partial<FaultConfig> & { seed?: number }): FaultConfig;
  setMonthlyQuota(monthlyQuota: number): void;
  quotaUsage(): number;
  issueIdToken(userId: string, opts?: IssueIdTokenOptions): { idToken: string; exp: number };
  richMenus(): ReturnType<EmulatorCore['richMenuOverview']>;
  /** The user opens their latest message in `unit` (any unit when omitted): an insight impression. */
  openMessage(userId: string, unit?: string): UnitInteraction;
  /** The user taps `url` in their latest unit message carrying it (an impression and a click). */
  clickUrl(userId: string, url: string, unit?: string): UnitInteraction;
  /** Insight figures below `n` come back null (LINE: 20). */
  setInsightMinCount(n: number): void;
  reset(): void;
}

export async function startLineEmulator(opts: LineEmulatorOptions): Promise<LineEmulator> {
  if (!opts.channelSecret || !opts.channelAccessToken || !opts.liffChannelId) {
    throw new Error('startLineEmulator: channelSecret, channelAccessToken and liffChannelId are required');
  }
  const store = new Store(opts.monthlyQuota ?? 500);
  const faults = new FaultGate(opts.seed ?? randomInt(2 ** 31));
  const ctx: EmuContext = {
    store,
    faults,
    channelSecret: opts.channelSecret,
    channelAccessToken: opts.channelAccessToken,
    liffChannelId: opts.liffChannelId,
    botUserId: botUserIdFor(opts.channelSecret),
    replyTokenTtlMs: opts.replyTokenTtlMs ?? 60_000,
    webhookUrl: opts.webhookUrl ?? null,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 10_000,
    idTokenSecret: randomBytes(32),
    allowedOrigins: [...(opts.allowedOrigins ?? [])],
    boundHost: (opts.host ?? '127.0.0.1').toLowerCase(),
    log: (line) => opts.logger?.(`[line-emulator] ${line}`),
  };
  const core = new EmulatorCore(ctx);
  const reset = (): void => {
    faults.cancelDelays();
    store.reset();
    faults.reset();
  };
  const app = createEmulatorApp(core, { reset });
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const baseURL = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  ctx.log(`listening on ${baseURL}`);

  return {
    baseURL,
    port,
    botUserId: ctx.botUserId,
    setWebhookUrl: (url) => {
      ctx.webhookUrl = url;
    },
    setAllowedOrigins: (origins) => {
      ctx.allowedOrigins = [...origins];
    },
    close: () =>
      new Promise<void>((resolve) => {
        store.wakeAll();
        faults.cancelDelays();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    createUser: (input) => core.createUser(input),
    getUser: (userId) => store.users.get(userId),
    listUsers: () => [...store.users.values()],
    follow: (userId) => core.follow(userId),
    unfollow: (userId) => core.unfollow(userId),
    sendText: (userId, text) => core.text(userId, text),
    sendPostback: (userId, data, params) => core.postback(userId, data, params),
    deliverEvents: (events, o) => core.deliverEvents(events, o),
    redeliver: (id) => core.redeliver(id),
    messagesFor: (userId) => store.inbox(userId),
    waitForMessages: (userId, min, timeoutMs = 5000) => store.waitForInbox(userId, min, timeoutMs),
    clearMessages: (userId) => store.clearInbox(userId),
    pushLog: () => [...store.pushLog],
    webhookDeliveries: () => [...store.webhookDeliveries],
    setFaults: (patch) => {
      const problem = faults.update(patch as Record<string, unknown>);
      if (problem) throw new Error(problem);
      return faults.config;
    },
    setMonthlyQuota: (q) => {
      store.monthlyQuota = q;
      store.quotaUsage = 0;
    },
    quotaUsage: () => store.quotaUsage,
    issueIdToken: (userId, o) => core.issueIdToken(userId, o),
    richMenus: () => core.richMenuOverview(),
    openMessage: (userId, unit) => (core.user(userId), openUnitMessage(store, userId, unit)),
    clickUrl: (userId, url, unit) => (core.user(userId), clickUnitUrl(store, userId, url, unit)),
    setInsightMinCount: (n) => {
      store.insightMinCount = n;
    },
    reset,
  };
}
