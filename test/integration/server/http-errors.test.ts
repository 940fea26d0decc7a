import { createHmac } from 'node:crypto';
import request from 'supertest';
import { AuditLog } from '../../../models/audit-log.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLiffMember, idTokenFor } from '../../factories/liff-member.factory';
import { createApiKey } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * What a caller of each API sees when the request itself is wrong: the house JSON shape
 * `{ error: { code, message } }`, a zh-TW message, and never a stack trace or an English framework message.
 */
let env: TestEnv;
let admin: ConsoleLogin;
let idToken: string;
let apiKey: string;

beforeAll(async () => {
  env = await startTestEnv();
  admin = await loginAs(env, 'admin');
  const member = await createLiffMember(env);
  idToken = await idTokenFor(env, member.userId);
  apiKey = (await createApiKey('錯誤測試 POS')).key;
});
afterAll(() => env.close());

type Api = 'member' | 'console' | 'ingest' | 'webhook';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

function call(api: Api, method: Method, path: string) {
  const req = (api === 'console' ? admin.agent : request(env.url))[method](path);
  if (api === 'member') req.set('Authorization', `Bearer ${idToken}`);
  if (api === 'console') req.set('X-CSRF-Token', admin.csrf);
  if (api === 'ingest') req.set('x-api-key', apiKey);
  return req;
}

const sign = (body: string) => createHmac('sha256', env.config.line.channelSecret).update(body).digest('base64');
const big = (bytes: number) => JSON.stringify({ filler: 'x'.repeat(bytes) });

interface Case {
  api: Api;
  name: string;
  method: Method;
  path: string;
  body?: string;
  signed?: boolean;
  status: number;
  code: string;
}

const cases: Case[] = [
  // malformed JSON
  {
    api: 'member',
    name: 'malformed JSON',
    method: 'post',
    path: '/api/member/exchange',
    body: '{"templateId":',
    status: 400,
    code: 'malformed_json',
  },
  {
    api: 'console',
    name: 'malformed JSON',
    method: 'post',
    path: '/api/console/segments/count',
    body: '{"rule":',
    status: 400,
    code: 'malformed_json',
  },
  {
    api: 'ingest',
    name: 'malformed JSON',
    method: 'post',
    path: '/api/ingest/purchases',
    body: '{"orderId":',
    status: 400,
    code: 'malformed_json',
  },
  {
    api: 'webhook',
    name: 'malformed JSON',
    method: 'post',
    path: '/webhook',
    body: '{"events":',
    signed: true,
    status: 400,
    code: 'malformed_json',
  },
  // body over the limit of each API
  {
    api: 'member',
    name: 'oversized body',
    method: 'post',
    path: '/api/member/exchange',
    body: big(300 * 1024),
    status: 413,
    code: 'payload_too_large',
  },
  {
    api: 'console',
    name: 'oversized body',
    method: 'post',
    path: '/api/console/segments/count',
    body: big(1100 * 1024),
    status: 413,
    code: 'payload_too_large',
  },
  {
    api: 'ingest',
    name: 'oversized body',
    method: 'post',
    path: '/api/ingest/purchases',
    body: big(1100 * 1024),
    status: 413,
    code: 'payload_too_large',
  },
  {
    api: 'webhook',
    name: 'oversized body',
    method: 'post',
    path: '/webhook',
    body: big(1100 * 1024),
    signed: true,
    status: 413,
    code: 'payload_too_large',
  },
  // unknown route (signed in, so the route itself is what is missing)
  {
    api: 'member',
    name: 'unknown route',
    method: 'get',
    path: '/api/member/no-such-thing',
    status: 404,
    code: 'not_found',
  },
  {
    api: 'console',
    name: 'unknown route',
    method: 'get',
    path: '/api/console/no-such-thing',
    status: 404,
    code: 'not_found',
  },
  {
    api: 'ingest',
    name: 'unknown route',
    method: 'get',
    path: '/api/ingest/no-such-thing',
    status: 404,
    code: 'not_found',
  },
  // a known path with a method it does not take
  { api: 'member', name: 'wrong method', method: 'delete', path: '/api/member/me', status: 404, code: 'not_found' },
  {
    api: 'console',
    name: 'wrong method',
    method: 'patch',
    path: '/api/console/dashboard',
    body: '{}',
    status: 404,
    code: 'not_found',
  },
  {
    api: 'ingest',
    name: 'wrong method',
    method: 'delete',
    path: '/api/ingest/purchases',
    status: 404,
    code: 'not_found',
  },
  { api: 'webhook', name: 'wrong method', method: 'get', path: '/webhook', status: 404, code: 'not_found' },
  // a malformed id in the path: nothing by that id (was a 500 from a cast error)
  {
    api: 'console',
    name: 'malformed id',
    method: 'get',
    path: '/api/console/members/not-an-id/timeline',
    status: 404,
    code: 'member_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'get',
    path: '/api/console/members/not-an-id/notes',
    status: 404,
    code: 'member_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'post',
    path: '/api/console/members/not-an-id/notes',
    body: '{"body":"喜歡拿鐵"}',
    status: 404,
    code: 'member_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'post',
    path: '/api/console/members/not-an-id/tags',
    body: '{"tags":["VIP"]}',
    status: 404,
    code: 'member_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'delete',
    path: '/api/console/members/not-an-id/tags/VIP',
    status: 404,
    code: 'member_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'delete',
    path: '/api/console/members/665f1c2a9b1e8a0012345678/notes/not-an-id',
    status: 404,
    code: 'note_not_found',
  },
  {
    api: 'console',
    name: 'malformed id',
    method: 'post',
    path: '/api/console/users/not-an-id/reset-password',
    body: '{}',
    status: 404,
    code: 'user_not_found',
  },
  // wrong types: zod's own wording, in zh-TW
  {
    api: 'member',
    name: 'wrong type',
    method: 'put',
    path: '/api/member/consent',
    body: '{"marketing":"yes"}',
    status: 400,
    code: 'validation_failed',
  },
  {
    api: 'console',
    name: 'wrong type',
    method: 'get',
    path: '/api/console/campaigns?page=abc',
    status: 400,
    code: 'validation_failed',
  },
  {
    api: 'console',
    name: 'wrong type',
    method: 'get',
    path: '/api/console/members/665f1c2a9b1e8a0012345678/points?page=abc',
    status: 400,
    code: 'validation_failed',
  },
  {
    api: 'ingest',
    name: 'wrong type',
    method: 'post',
    path: '/api/ingest/coupons/redeem',
    body: '{"code":5}',
    status: 400,
    code: 'validation_failed',
  },
];

const HAN = /\p{Script=Han}/u;
const ENGLISH_FRAMEWORK =
  /Invalid input|expected|received|Unexpected token|Cannot (GET|POST|PUT|PATCH|DELETE)|SyntaxError|CastError|Error:|\bat \S+ \(|node_modules/;

describe.each(cases)('$api: $name $method $path', ({ api, method, path, body, signed, status, code }) => {
  it(`→ ${status} ${code}, zh-TW, no stack`, async () => {
    let req = call(api, method, path);
    if (signed && body !== undefined) req = req.set('x-line-signature', sign(body));
    if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
    const res = await req;
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toEqual(expect.objectContaining({ code, message: expect.stringMatching(HAN) }));
    expect(res.text).not.toMatch(ENGLISH_FRAMEWORK);
    for (const f of (res.body.error.details?.fields ?? []) as Array<{ message: string }>)
      expect(f.message).toMatch(HAN);
  });
});

describe('unauthenticated callers', () => {
  it.each([
    ['/api/member/no-such-thing', 'missing_token'],
    ['/api/console/no-such-thing', 'unauthorized'],
    ['/api/ingest/no-such-thing', 'api_key_missing'],
  ])('%s → 401 %s before any route is revealed', async (path, code) => {
    const res = await request(env.url).get(path).expect(401);
    expect(res.body.error).toEqual(expect.objectContaining({ code, message: expect.stringMatching(HAN) }));
  });

  it('an unsigned webhook call → 401 in the same shape', async () => {
    const res = await request(env.url)
      .post('/webhook')
      .set('Content-Type', 'application/json')
      .send('{"events":[]}')
      .expect(401);
    expect(res.body.error).toEqual({ code: 'invalid_signature', message: expect.stringMatching(HAN) });
  });
});

describe('request ids from the caller', () => {
  it('are kept in the audit log when they look like ids, and replaced when they do not', async () => {
    const member = await buildMember();
    const note = (requestId: string) =>
      admin.agent
        .post(`/api/console/members/${member.id}/notes`)
        .set('X-CSRF-Token', admin.csrf)
        .set('X-Request-Id', requestId)
        .send({ body: '喜歡拿鐵' })
        .expect(201);
    await note('req-2025-06-01.abc:1');
    await note(`x${'<script>'.repeat(2000)}`);
    const ids = (await AuditLog.find({ action: 'member.note.add' }).sort({ at: 1, _id: 1 }).lean()).map(
      (e) => e.requestId!,
    );
    expect(ids[0]).toBe('req-2025-06-01.abc:1');
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
