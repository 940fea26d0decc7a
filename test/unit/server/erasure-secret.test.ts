import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigError } from '../../../server/config';
import { resolveErasureSecret } from '../../../server/erasure-secret';

const load = (env: Record<string, string>) => loadConfig(env, { dotenv: false });

/** The erasure registry's HMAC key: required in production, generated and kept in LOCAL_DATA_DIR in local mode. */
describe('#12.1 erasure registry secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-erasure-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('production refuses to start without ERASURE_HMAC_SECRET or with a short one', () => {
    const problems = (env: Record<string, string>) => {
      try {
        load(env);
      } catch (e) {
        return (e as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ NODE_ENV: 'production' })).toContain('ERASURE_HMAC_SECRET: required when NODE_ENV=production');
    expect(problems({ ERASURE_HMAC_SECRET: 'too-short' })).toContain(
      'ERASURE_HMAC_SECRET: must be at least 32 characters',
    );
  });

  it('uses the configured secret as it is', () => {
    const c = load({ ERASURE_HMAC_SECRET: 's'.repeat(40), LOCAL_DATA_DIR: dir });
    expect(resolveErasureSecret(c)).toBe('s'.repeat(40));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('local mode generates one per install, kept in LOCAL_DATA_DIR (0600) and reused after a restart', () => {
    const c = load({ LOCAL_DATA_DIR: dir });
    const first = resolveErasureSecret(c);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, 'erasure-hmac-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveErasureSecret(load({ LOCAL_DATA_DIR: dir }))).toBe(first);
  });

  it('with LOCAL_PERSIST=false the key lives in memory only, like the data', () => {
    const c = load({ LOCAL_DATA_DIR: dir, LOCAL_PERSIST: 'false' });
    expect(resolveErasureSecret(c)).not.toBe(resolveErasureSecret(c));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
