import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { createEventProcessor, type EventProcessor } from '../bot/event-processor';
import { startScheduler } from '../jobs/scheduler';
import type { LocalServices } from './local-services';
import { systemClock, type Clock } from '../domain/shared/clock';
import { rootLogger, type Logger } from '../domain/shared/logger';
import { createApp } from './app';
import type { AppConfig } from './config';
import { createAppDeps, type AppDeps } from './deps';
import { resolveErasureSecret } from './erasure-secret';
import { createLineMessenger } from './line-messenger';
import { loadLocalSecrets } from './local-secrets';

export interface Runtime {
  config: AppConfig;
  deps: AppDeps;
  /** http://127.0.0.1:<port> (or the interface HOST names) */
  url: string;
  server: http.Server;
  local: LocalServices;
  /** Webhook event processing (queue, poll, bounded concurrency). */
  events: EventProcessor;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  scheduler?: boolean;
  /** Poll the store for unfinished webhook events (off in tests, which poll when they mean to). */
  sweeper?: boolean;
  mongoDbName?: string;
  /** The driver emits `commandStarted` for every command (tests count database round trips with it). */
  monitorCommands?: boolean;
}

/**
 * Start order: database (stand-in in local mode) → LINE (emulator in local mode) → HTTP → webhook sweeper → scheduler.
 * `close()` reverses it. Used by server/main.ts and by the test helpers, so tests run the real wiring.
 */
export async function startRuntime(input: AppConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const config: AppConfig = { ...input, line: { ...input.line }, mongo: { ...input.mongo } };
  config.privacy = { erasureHmacSecret: resolveErasureSecret(config) };
  const logger = opts.logger ?? rootLogger;
  const local: LocalServices = {};
  const closers: Array<() => Promise<void>> = [];
  try {
    if (config.mode === 'local') {
      local.secrets = await loadLocalSecrets(config);
      if (config.line.mode === 'emulator') {
        config.line.channelSecret = local.secrets.channelSecret;
        config.line.channelAccessToken = local.secrets.channelAccessToken;
      }
    }
    let uri: string | null = config.mongo.uri;
    if (!uri) {
      if (config.mode === 'production') throw new Error('MONGODB_URI is required in production');
      const { startLocalMongo } = await import('./local-services');
      local.mongo = await startLocalMongo(config, opts.mongoDbName);
      closers.unshift(() => local.mongo!.close());
      uri = local.mongo.uri;
    }
    await mongoose.connect(uri as string, {
      serverSelectionTimeoutMS: 5000,
      // Every write waits for a majority of the replica set (points, store credit, coupons above all): an
      // acknowledged change survives a primary failover. Explicit, not left to the server's default
      // (which is w:1 with arbiters in the set). See docs/deployment.md.
      writeConcern: { w: 'majority' },
      ...(opts.mongoDbName ? { dbName: opts.mongoDbName } : {}),
      ...(opts.monitorCommands ? { monitorCommands: true } : {}),
    });
    closers.unshift(() => mongoose.disconnect());
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));

    if (config.line.mode === 'emulator' && !config.line.apiBaseURL) {
      if (config.mode === 'production') throw new Error('the LINE emulator never runs in production');
      const { createLineEmulator } = await import('./local-services');
      local.emulator = await createLineEmulator(config);
      closers.unshift(() => local.emulator!.close());
      config.line.apiBaseURL = local.emulator.baseURL;
      config.line.loginBaseURL = local.emulator.baseURL;
    }

    const messenger = createLineMessenger({
      channelAccessToken: config.line.channelAccessToken,
      baseURL: config.line.apiBaseURL ?? undefined,
    });
    const deps: AppDeps = createAppDeps(config, {
      messenger,
      clock: opts.clock ?? systemClock,
      logger,
      emulatorBaseURL: local.emulator?.baseURL,
    });
    // The marketer's texts are read once before the first event, so no chat reply waits for them.
    await deps.replies.ensureFresh();
    const devChat = local.emulator
      ? (await import('../local/line-emulator')).createDevChatRouter({
          emulatorBaseURL: local.emulator.baseURL,
          liffUrl: `${config.publicBaseUrl}/liff`,
        })
      : undefined;
    const events = createEventProcessor(deps, {
      concurrency: config.webhook.concurrency,
      maxQueued: config.webhook.maxQueued,
    });
    const app = createApp(deps, { devChat, events });
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (config.host) server.listen(config.port, config.host, resolve);
      else server.listen(config.port, resolve);
    });
    // Runs after the HTTP server has closed: events already acknowledged finish before LINE and the DB go away.
    closers.unshift(() => events.stop());
    closers.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const url = `http://${reachableHost(config.host)}:${port}`;
    if (config.publicBaseUrl.endsWith(':0')) config.publicBaseUrl = `http://localhost:${port}`;
    local.emulator?.setWebhookUrl(`${url}/webhook`);
    // The emulator's control API answers browsers only on the product's own origins (the dev chat page).
    local.emulator?.setAllowedOrigins([
      new URL(config.publicBaseUrl).origin,
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}`,
    ]);

    if (opts.sweeper !== false) events.startPolling(config.webhook.sweepIntervalMs);
    if (opts.scheduler ?? config.scheduler.enabled) {
      const scheduler = startScheduler(deps);
      closers.unshift(() => scheduler.stop());
    }

    let closed = false;
    return {
      config,
      deps,
      url,
      server,
      local,
      events,
      async close() {
        if (closed) return;
        closed = true;
        await runClosers(closers, logger);
      },
    };
  } catch (err) {
    await runClosers(closers, logger);
    throw err;
  }
}

/** Where this process reaches its own server: the bound interface, or loopback when bound to all of them. */
function reachableHost(host: string | null): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function runClosers(closers: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (err) {
      logger.warn({ err }, 'shutdown step failed');
    }
  }
}

export const repoRoot = path.resolve(__dirname, '..');
