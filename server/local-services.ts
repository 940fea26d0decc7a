import path from 'node:path';
import { type MongoStandin, startMongoStandin } from '../local/mongo-standin';
import { type LineEmulator, startLineEmulator } from '../local/line-emulator';
import type { AppConfig } from './config';
import type { LocalSecrets } from './local-secrets';

/**
 * The stand-ins for what cannot be reached from a developer machine. Only server/ wires them in; production
 * code paths never import them (server/runtime.ts refuses to start them when mode is production).
 */
export interface LocalServices {
  mongo?: MongoStandin;
  emulator?: LineEmulator;
  secrets?: LocalSecrets;
}

/** Where local mode keeps the stand-in's data: a journal directory, and the one-file snapshot of older installs. */
export function standinDataPaths(config: AppConfig): { dir: string; legacySnapshot: string } {
  return {
    dir: path.resolve(config.mongo.dataDir, 'mongo-standin'),
    legacySnapshot: path.resolve(config.mongo.dataDir, 'mongo-standin.json'),
  };
}

export async function startLocalMongo(config: AppConfig, dbName?: string): Promise<MongoStandin> {
  if (!config.mongo.persist) return startMongoStandin({ port: 0, dbName: dbName ?? 'huigo' });
  const data = standinDataPaths(config);
  return startMongoStandin({
    port: 0,
    dbName: dbName ?? 'huigo',
    dataDir: data.dir,
    journal: { legacySnapshotPath: data.legacySnapshot },
  });
}

export async function createLineEmulator(config: AppConfig): Promise<LineEmulator> {
  return startLineEmulator({
    port: 0,
    channelSecret: config.line.channelSecret,
    channelAccessToken: config.line.channelAccessToken,
    liffChannelId: config.line.liffChannelId,
  });
}
