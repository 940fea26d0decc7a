import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ensureLiffBuilt, repoRoot } from '../../e2e/liff-browser';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
beforeAll(async () => {
  ensureLiffBuilt();
  env = await startTestEnv();
}, 120_000);
afterAll(() => env?.close());

/** The member card's service worker as the server sends it (#14.4): our origin, scope /liff/, revalidated. */
describe('#14.4 service worker serving', () => {
  it('serves /liff/sw.js as JavaScript with no-cache (a new build is found on the next visit), under the card CSP', async () => {
    const res = await request(env.url).get('/liff/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Hashed assets keep their year-long cache; index.html is still revalidated.
    const asset = fs.readdirSync(path.join(repoRoot, 'liff-app/dist/assets')).find((f) => f.endsWith('.js'))!;
    expect((await request(env.url).get(`/liff/assets/${asset}`)).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await request(env.url).get('/liff/')).headers['cache-control']).toBe('no-cache');
  });

  it('precaches exactly the built shell files, never an API path, and every listed file exists', async () => {
    const source = (await request(env.url).get('/liff/sw.js')).text;
    const list = JSON.parse(/JSON\.parse\('(.*)'\)/.exec(source)![1]) as string[];
    const built = fs
      .readdirSync(path.join(repoRoot, 'liff-app/dist/assets'))
      .map((f) => `/liff/assets/${f}`)
      .sort();
    expect(list.filter((f) => f.startsWith('/liff/assets/')).sort()).toEqual(built);
    expect(list).toContain('/liff/brand-logo.svg');
    expect(list.filter((f) => !f.startsWith('/liff/'))).toEqual([]);
    for (const f of list) expect((await request(env.url).get(f)).status).toBe(200);
    expect(source).not.toContain('__HUIGO_SW_');
  });
});
