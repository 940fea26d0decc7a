/** Handshake and server-information commands. */
import type { Document } from 'bson';
import { notImplemented } from '../errors';
import { MAX_MESSAGE_SIZE } from '../wire';
import type { Handler } from './context';

export const SERVER_VERSION = '7.0.0';
/**
 * Wire version 21 = MongoDB 7.0. The bundled driver (mongodb 7.8) requires
 * at least 9 (MIN_SUPPORTED_WIRE_VERSION) and understands up to 29.
 */
export const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

const startedAt = Date.now();

export const hello: Handler = (ctx, cmd) => {
  const legacy = 'isMaster' in cmd || 'ismaster' in cmd;
  if (cmd.saslSupportedMechs || cmd.speculativeAuthenticate)
    throw notImplemented('authentication (omit credentials from the URI)');
  // No topologyVersion on purpose: without it the driver polls instead of
  // holding a streaming (exhaust) hello open on every monitor connection.
  return {
    ...(cmd.helloOk ? { helloOk: true } : {}),
    ...(legacy ? { ismaster: true } : {}),
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
};

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'mongo-standin',
  versionArray: SERVER_VERSION.split('.').map(Number).concat(0),
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['inMemory'],
  modules: [],
  ok: 1,
});

export const hostInfo: Handler = () => ({
  system: { currentTime: new Date(), hostname: '127.0.0.1', cpuArch: process.arch, numCores: 1, memSizeMB: 0 },
  os: { type: process.platform, name: 'mongo-standin' },
  extra: {},
  ok: 1,
});

export const getParameter: Handler = (_ctx, cmd) => {
  const params: Document = { featureCompatibilityVersion: { version: '7.0' }, authenticationMechanisms: [] };
  if (cmd.getParameter === '*') return { ...params, ok: 1 };
  const out: Document = {};
  for (const k of Object.keys(cmd)) if (k in params) out[k] = params[k];
  return { ...out, ok: 1 };
};

export const getCmdLineOpts: Handler = () => ({ argv: ['mongod'], parsed: {}, ok: 1 });

export const serverStatus: Handler = (ctx) => ({
  host: '127.0.0.1',
  version: SERVER_VERSION,
  process: 'mongod',
  uptime: Math.floor((Date.now() - startedAt) / 1000),
  localTime: new Date(),
  connections: { current: 0 },
  metrics: { cursor: { open: { total: ctx.cursors.size } } },
  ok: 1,
});

export const whatsmyuri: Handler = () => ({ you: '127.0.0.1', ok: 1 });

export const connectionStatus: Handler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

/** Implicit sessions are tracked client-side; with no transactions there is nothing to end. */
export const endSessions: Handler = () => ({ ok: 1 });
