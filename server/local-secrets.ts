import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from './config';

/**
 * Local mode's own secrets: the emulator's channel secret and access token, and the demo POS key. They are made
 * once per install and kept in `<LOCAL_DATA_DIR>/local-secrets.json` (git-ignored, mode 0600), so a webhook signed
 * on one machine never verifies on another and no key in the repository opens anyone's local ingest API. With
 * LOCAL_PERSIST=false nothing is written and every start makes new ones.
 */
export interface LocalSecrets {
  channelSecret: string;
  channelAccessToken: string;
  /** Plaintext of the demo POS key; the database keeps only its hash. */
  demoPosKey: string;
}

export const LOCAL_SECRETS_FILE = 'local-secrets.json';

export async function loadLocalSecrets(config: Pick<AppConfig, 'mongo'>): Promise<LocalSecrets> {
  const file = path.resolve(config.mongo.dataDir, LOCAL_SECRETS_FILE);
  if (config.mongo.persist) {
    const kept = await readSecrets(file);
    if (kept) return kept;
  }
  const fresh: LocalSecrets = {
    channelSecret: randomBytes(16).toString('hex'),
    channelAccessToken: randomBytes(24).toString('base64url'),
    demoPosKey: `hgk_local_${randomBytes(18).toString('base64url')}`,
  };
  if (config.mongo.persist) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  }
  return fresh;
}

async function readSecrets(file: string): Promise<LocalSecrets | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<LocalSecrets>;
    const ok = [v.channelSecret, v.channelAccessToken, v.demoPosKey].every(
      (s) => typeof s === 'string' && s.length >= 16,
    );
    return ok ? (v as LocalSecrets) : null;
  } catch {
    return null;
  }
}
