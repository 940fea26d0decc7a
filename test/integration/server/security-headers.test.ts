import request from 'supertest';
import { rootLogger } from '../../../domain/shared/logger';
import { createApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { createAppDeps } from '../../../server/deps';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
  LINE_CHANNEL_SECRET: 's',
  LINE_CHANNEL_ACCESS_TOKEN: 't',
  LIFF_ID: '2000000000-AbCdEfGh',
  LINE_LOGIN_CHANNEL_ID: '2000000000',
  PUBLIC_BASE_URL: 'https://member.example.com',
  SESSION_SECRET: 's'.repeat(40),
  ERASURE_HMAC_SECRET: 'e'.repeat(40),
};

/** `name value; name value` → { name: [values] } */
function directives(csp: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([k, ...v]) => [k, v]),
  );
}

/** What `curl -sI` shows on the two front ends: a CSP per front end, HSTS in production, nosniff, Referrer-Policy. */
describe('#12.9 security headers', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  const production = () =>
    createApp(
      createAppDeps(loadConfig(PRODUCTION_ENV, { dotenv: false }), {
        messenger: env.deps.messenger,
        clock: () => new Date(),
        logger: rootLogger,
      }),
    );

  it('production /console/: a CSP allowing nothing beyond itself, never framed, HSTS, nosniff, no referrer', async () => {
    const res = await request(production()).head('/console/');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it("production /liff/: the card's CSP lets in the LIFF SDK's LINE origins and nothing else", async () => {
    const res = await request(production()).head('/liff/');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'", 'https://static.line-scdn.net']);
    expect(csp['connect-src']).toEqual(
      expect.arrayContaining([
        "'self'",
        'https://api.line.me',
        'https://access.line.me',
        'https://liffsdk.line-scdn.net',
      ]),
    );
    expect(csp['frame-src']).toContain('https://liff-subwindow.line.me');
    expect(csp['frame-ancestors']).not.toContain('*');
    expect(csp['connect-src'].some((s) => s.startsWith('http://'))).toBe(false);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('APIs load and frame nothing; local mode sends no HSTS and lets the mock card reach the emulator', async () => {
    const api = await request(production()).get('/api/member/config');
    expect(directives(api.headers['content-security-policy'])['default-src']).toEqual(["'none'"]);
    expect(api.headers['x-content-type-options']).toBe('nosniff');

    const local = await request(env.url).head('/liff/');
    expect(local.headers['strict-transport-security']).toBeUndefined();
    expect(directives(local.headers['content-security-policy'])['connect-src']).toContain(
      new URL(env.local.emulator!.baseURL).origin,
    );
    const localConsole = await request(env.url).head('/console/');
    expect(directives(localConsole.headers['content-security-policy'])['connect-src']).toEqual(["'self'"]);
  });
});
