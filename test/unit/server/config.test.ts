import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../../server/config';

const load = (env: Record<string, string>) => loadConfig(env, { dotenv: false });

describe('loadConfig', () => {
  it('defaults to local mode with the stand-in and the emulator when nothing is set', () => {
    const c = load({});
    expect(c.mode).toBe('local');
    expect(c.port).toBe(3000);
    expect(c.mongo.uri).toBeNull();
    expect(c.line.mode).toBe('emulator');
    expect(c.timeZone).toBe('Asia/Taipei');
  });

  it('uses a given MongoDB with the emulator when only MONGODB_URI is set', () => {
    const c = load({ MONGODB_URI: 'mongodb://db.internal:27017/huigo' });
    expect(c.mongo.uri).toBe('mongodb://db.internal:27017/huigo');
    expect(c.line.mode).toBe('emulator');
  });

  it('uses real LINE with the stand-in when only LINE credentials are set', () => {
    const c = load({ LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' });
    expect(c.line.mode).toBe('line');
    expect(c.line.apiBaseURL).toBeNull();
    expect(c.mongo.uri).toBeNull();
  });

  it('in production lists every missing variable at once', () => {
    let err: unknown;
    try {
      load({ NODE_ENV: 'production' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).problems.join('\n');
    for (const name of [
      'MONGODB_URI',
      'LINE_CHANNEL_SECRET',
      'LINE_CHANNEL_ACCESS_TOKEN',
      'LIFF_ID',
      'LINE_LOGIN_CHANNEL_ID',
      'PUBLIC_BASE_URL',
      'SESSION_SECRET',
      'ERASURE_HMAC_SECRET',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('reports malformed values together with missing ones', () => {
    let err: unknown;
    try {
      load({ NODE_ENV: 'production', PORT: 'abc', MONGODB_URI: 'http://nope' });
    } catch (e) {
      err = e;
    }
    const problems = (err as ConfigError).problems;
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith('MONGODB_URI') && p.includes('mongodb://'))).toBe(true);
    expect(problems.some((p) => p.startsWith('LIFF_ID'))).toBe(true);
  });

  it('refuses half a set of LINE credentials', () => {
    expect(() => load({ LINE_CHANNEL_SECRET: 's' })).toThrow(/set both/);
  });

  it('accepts a complete production environment', () => {
    const c = load({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/huigo',
      LINE_CHANNEL_SECRET: 's',
      LINE_CHANNEL_ACCESS_TOKEN: 't',
      LIFF_ID: '123-abc',
      LINE_LOGIN_CHANNEL_ID: '123',
      PUBLIC_BASE_URL: 'https://member.example.com/',
      SESSION_SECRET: 'x'.repeat(40),
      ERASURE_HMAC_SECRET: 'e'.repeat(40),
    });
    expect(c.mode).toBe('production');
    expect(c.publicBaseUrl).toBe('https://member.example.com');
    expect(c.console.cookieSecure).toBe(true);
  });

  it('documents every variable it reads in .env.example', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(ENV_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});
