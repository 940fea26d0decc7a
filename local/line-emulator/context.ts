import type { Response } from 'express';
import type { FaultGate } from './faults';
import type { Store } from './store';

/** Everything the route modules share; built once per emulator instance. */
export interface EmuContext {
  store: Store;
  faults: FaultGate;
  channelSecret: string;
  channelAccessToken: string;
  liffChannelId: string;
  botUserId: string;
  replyTokenTtlMs: number;
  webhookUrl: string | null;
  webhookTimeoutMs: number;
  /** HS256 key for emulator-issued ID tokens; random per instance so tokens never verify elsewhere. */
  idTokenSecret: Buffer;
  /** Browser origins the control API answers (the product's dev chat page); empty = no browser at all. */
  allowedOrigins: string[];
  /** The interface the emulator listens on; besides loopback names, the only `Host` the control API accepts. */
  boundHost: string;
  log: (line: string) => void;
}

export const requestIdOf = (res: Response): string => String(res.getHeader('x-line-request-id') ?? '');

export const nowIso = (): string => new Date().toISOString();
