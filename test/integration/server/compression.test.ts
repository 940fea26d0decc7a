import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import request from 'supertest';
import { pickEncoding } from '../../../server/compression';
import { ensureLiffBuilt, repoRoot } from '../../e2e/liff-browser';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs } from '../../factories/console.factory';

let env: TestEnv;
beforeAll(async () => {
  ensureLiffBuilt();
  if (!fs.existsSync(path.join(repoRoot, 'console/dist/index.html')))
    execFileSync(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'console/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: repoRoot },
    );
  env = await startTestEnv();
}, 120_000);
afterAll(() => env?.close());

/** The raw bytes of a response, whatever its encoding (supertest would otherwise decode it). */
const raw = (r: request.Test) =>
  r.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

const asset = (app: string, ext: string) => {
  const name = fs
    .readdirSync(path.join(repoRoot, app, 'dist/assets'))
    .find((f) => f.startsWith('index-') && f.endsWith(ext));
  return {
    url: `/${app === 'liff-app' ? 'liff' : 'console'}/assets/${name}`,
    file: path.join(repoRoot, app, 'dist/assets', name!),
  };
};

describe('#18.8 compression and cache', () => {
  it.each(['liff-app', 'console'])(
    '%s: the hashed JS goes out brotli or gzip as asked, cached for a year',
    async (app) => {
      const { url, file } = asset(app, '.js');
      const original = fs.readFileSync(file);
      const br = await raw(request(env.url).get(url).set('Accept-Encoding', 'br')).expect(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/Accept-Encoding/);
      expect(br.headers['content-type']).toMatch(/javascript/);
      // supertest decodes the body; the bytes on the wire are the Content-Length.
      expect(br.body).toEqual(original);
      expect(Number(br.headers['content-length'])).toBeLessThan(original.length / 2);
      expect(Number(br.headers['content-length'])).toBe(zlib.brotliCompressSync(original).length);
      const gz = await raw(request(env.url).get(url).set('Accept-Encoding', 'gzip, deflate')).expect(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.body).toEqual(original);
      expect(Number(gz.headers['content-length'])).toBe(zlib.gzipSync(original, { level: 9 }).length);
      // No Accept-Encoding: the file as it is, still with the long cache.
      const plain = await raw(request(env.url).get(url).set('Accept-Encoding', 'identity')).expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.body).toEqual(original);
      // Revalidation of the compressed copy answers 304.
      await request(env.url).get(url).set('Accept-Encoding', 'br').set('If-None-Match', br.headers.etag).expect(304);
    },
  );

  it('index.html and the SPA fallback are never cached without revalidation', async () => {
    for (const url of ['/liff/', '/liff/coupons', '/console/', '/console/members']) {
      const res = await request(env.url).get(url).set('Accept-Encoding', 'br').expect(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<!doctype html');
    }
    await request(env.url).get('/liff').expect(301);
  });

  it('JSON answers are compressed when large enough, small ones and refusals are not', async () => {
    const big = await raw(request(env.url).get('/_nothing-here').set('Accept-Encoding', 'gzip')).expect(404);
    expect(big.headers['content-encoding']).toBeUndefined(); // under 1 KB
    const marketer = await loginAs(env, 'marketer');
    const fields = await marketer.agent
      .get('/api/console/members/export-fields')
      .set('Accept-Encoding', 'br')
      .expect(200);
    expect(fields.headers['content-encoding']).toBe('br');
    expect(fields.headers.vary).toMatch(/Accept-Encoding/);
    expect(fields.body.fields.length).toBeGreaterThan(10);
    const gz = await marketer.agent
      .get('/api/console/members/export-fields')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body).toEqual(fields.body);
    const none = await marketer.agent.get('/api/console/members/export-fields').set('Accept-Encoding', 'identity');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(pickEncoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });
});
