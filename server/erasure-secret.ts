import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config';

const FILE = 'erasure-hmac-secret';

/**
 * The erasure registry's HMAC key. Production has ERASURE_HMAC_SECRET (config refuses to start without it). Local
 * mode generates one per install, kept in `<LOCAL_DATA_DIR>/erasure-hmac-secret` (mode 0600) so the registry
 * keeps matching across restarts; with LOCAL_PERSIST=false the data lives in memory only, and so does the key.
 */
export function resolveErasureSecret(config: AppConfig): string {
  if (config.privacy.erasureHmacSecret) return config.privacy.erasureHmacSecret;
  if (config.mode === 'production') throw new Error('ERASURE_HMAC_SECRET is required in production');
  if (!config.mongo.persist) return randomBytes(32).toString('hex');
  const file = path.resolve(config.mongo.dataDir, FILE);
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('hex');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
