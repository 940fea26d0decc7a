import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { messagingApi, validateSignature } from '@line/bot-sdk';
import express from 'express';
import { type LineEmulator, type LineEmulatorOptions, startLineEmulator } from '../../local/line-emulator';

export const TEST_LINE = {
  channelSecret: 'test-channel-secret-0123456789ab',
  channelAccessToken: 'test-channel-access-token',
  liffChannelId: '1650000000',
};

export interface TestLineEmulator {
  emu: LineEmulator;
  client: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
  /** Calls the control API (`/_emulator` + path) and returns status + parsed JSON. */
  control<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

/** Starts an emulator on a free port with SDK clients pointed at it. Close with `emu.close()`. */
export async function startTestLineEmulator(overrides: Partial<LineEmulatorOptions> = {}): Promise<TestLineEmulator> {
  const emu = await startLineEmulator({ ...TEST_LINE, port: 0, seed: 42, ...overrides });
  const cfg = {
    channelAccessToken: overrides.channelAccessToken ?? TEST_LINE.channelAccessToken,
    baseURL: emu.baseURL,
  };
  return {
    emu,
    client: new messagingApi.MessagingApiClient(cfg),
    blob: new messagingApi.MessagingApiBlobClient(cfg),
    control: (method, path, body) => controlCall(emu.baseURL, method, path, body),
  };
}

export async function controlCall(baseURL: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseURL}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export interface WebhookReceiver {
  url: string;
  /** Parsed bodies whose signature validated. */
  bodies: { destination: string; events: any[] }[];
  /** Every request, including rejected ones. */
  requests: { signatureValid: boolean; raw: string }[];
  /** Called for each valid event; use it to reply like a bot would. */
  onEvent?: (event: any) => Promise<void> | void;
  close(): Promise<void>;
}

/** A minimal bot webhook: validates x-line-signature with the SDK, answers 401 on mismatch, 400 on bad JSON. */
export async function startWebhookReceiver(channelSecret = TEST_LINE.channelSecret): Promise<WebhookReceiver> {
  const app = express();
  const receiver = { bodies: [], requests: [] } as unknown as WebhookReceiver;
  app.post('/webhook', express.raw({ type: () => true }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const signature = req.get('x-line-signature') ?? '';
    const signatureValid = Boolean(signature) && validateSignature(raw, channelSecret, signature);
    receiver.requests.push({ signatureValid, raw });
    if (!signatureValid) {
      res.status(401).end();
      return;
    }
    let body: { destination: string; events: any[] };
    try {
      body = JSON.parse(raw);
    } catch {
      res.status(400).end();
      return;
    }
    receiver.bodies.push(body);
    for (const e of body.events) await receiver.onEvent?.(e);
    res.status(200).json({});
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid solid-colour PNG of the given size (rich menu images must match the menu size). */
export function makePng(width: number, height: number, rgb: [number, number, number] = [6, 199, 85]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Wraps bytes for `MessagingApiBlobClient.setRichMenuImage` (copies so the Blob gets a plain ArrayBuffer). */
export function imageBlob(bytes: Buffer, type = 'image/png'): Blob {
  return new Blob([new Uint8Array(bytes)], { type });
}
