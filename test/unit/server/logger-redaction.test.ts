import { Writable } from 'node:stream';
import { HTTPFetchError, JSONParseError, SignatureValidationFailed } from '@line/bot-sdk';
import { createLogger } from '../../../domain/shared/logger';

/** A logger with the production configuration, writing into a string instead of stdout. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return { logger, text: () => lines.join('') };
}

const CHANNEL_TOKEN = 'Zm9vYmFyQ2hhbm5lbEFjY2Vzc1Rva2VuMTIzNDU2Nzg5MA==';
const ID_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVMTIzIn0.c2lnbmF0dXJlLXBhcnQ';
const API_KEY = 'hgk_AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const SESSION = 'huigo_console=s3ss10n-t0k3n-v4lue';
const PHONE = '0912345678';
const PASSWORD = 'correct horse battery staple';
const SECRETS = [
  CHANNEL_TOKEN,
  ID_TOKEN,
  API_KEY,
  's3ss10n-t0k3n-v4lue',
  PHONE,
  '912 345 678',
  PASSWORD,
  'sig-abc123=',
  'db-user:db-pass',
];

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('log redaction', () => {
  it('censors headers, cookies, tokens and keys at any depth and in any letter case', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/api/member/me',
          headers: {
            authorization: `Bearer ${ID_TOKEN}`,
            cookie: SESSION,
            'x-api-key': API_KEY,
            'X-Line-Signature': 'sig-abc123=',
          },
        },
      },
      'request',
    );
    // An axios-style error: the request config (with the channel token) rides on the error.
    const axiosLike = Object.assign(new Error('Request failed with status code 500'), {
      config: { url: 'https://api.line.me/v2/bot/message/push', headers: { Authorization: `Bearer ${CHANNEL_TOKEN}` } },
    });
    logger.error({ err: axiosLike }, 'push failed');
    logger.warn(
      { body: { id_token: ID_TOKEN, client_id: '123' }, login: { username: 'mei', password: PASSWORD } },
      'verify',
    );
    logger.info({ deep: { a: { b: { c: { channelAccessToken: CHANNEL_TOKEN, apiKey: API_KEY } } } } }, 'nested');
    const out = text();
    expectNoSecrets(out);
    expect(out).toContain('[redacted]');
    expect(out).toContain('/api/member/me'); // the useful parts stay
    expect(out).toContain('Request failed with status code 500');
  });

  it('censors what the LINE SDK errors carry (response headers, raw body, signature)', () => {
    const { logger, text } = capture();
    const fetchError = new HTTPFetchError('401 - Unauthorized', {
      status: 401,
      statusText: 'Unauthorized',
      headers: new Headers({ 'set-cookie': SESSION, 'x-line-request-id': 'req-1' }),
      body: `{"message":"Authentication failed. Bearer ${CHANNEL_TOKEN}"}`,
    });
    logger.error({ err: fetchError }, 'LINE call failed');
    logger.error(
      { err: new SignatureValidationFailed('signature validation failed', { signature: 'sig-abc123=' }) },
      'webhook',
    );
    logger.error({ err: new JSONParseError('bad json', { raw: `{"password":"${PASSWORD}"` }) }, 'webhook');
    const out = text();
    expectNoSecrets(out);
    expect(out).toContain('x-line-request-id');
    expect(out).toContain('"status":401');
  });

  it('scrubs phone numbers and credentials out of error messages (MongoDB duplicate key, connection strings)', () => {
    const { logger, text } = capture();
    const dup = Object.assign(
      new Error(`E11000 duplicate key error collection: huigo.members index: phone_1 dup key: { phone: "${PHONE}" }`),
      {
        code: 11000,
        keyPattern: { phone: 1 },
        keyValue: { phone: PHONE },
      },
    );
    logger.error({ err: dup }, 'insert failed');
    logger.error({ err: new Error('connect ECONNREFUSED mongodb://db-user:db-pass@db.internal:27017/huigo') }, 'db');
    logger.info({ note: 'member called from +886 912 345 678' }, `lookup ${PHONE}`);
    logger.error(
      Object.assign(new Error('wrapped'), {
        cause: Object.assign(new Error('inner'), { headers: { authorization: `Bearer ${CHANNEL_TOKEN}` } }),
      }),
      'chain',
    );
    const out = text();
    expectNoSecrets(out);
    expect(out).toContain('E11000 duplicate key error');
    expect(out).toContain('db.internal:27017');
  });

  it('covers the phone paths of #16.6: a claim waiting for staff, a persona answer, a changed member', () => {
    const { logger, text } = capture();
    logger.info({ update: { $set: { phoneClaim: { phone: PHONE, status: 'proposed' } } } }, 'persona step');
    logger.info({ input: { kind: 'text', text: `我的手機 0912-345-678` } }, 'persona answer');
    logger.warn({ member: { answers: { phone: { value: PHONE, label: '0912***678' } } } }, 'card edit');
    expectNoSecrets(text());
  });

  it('keeps ids, dates and counts readable', () => {
    const { logger, text } = capture();
    const at = new Date('2025-06-01T02:00:00Z');
    logger.info({ memberId: '665f1c2a9b1e8a0012345678', at, count: 3, key: 'purchase:pos:A-1' }, 'ok');
    const line = JSON.parse(text());
    expect(line).toMatchObject({
      memberId: '665f1c2a9b1e8a0012345678',
      at: at.toISOString(),
      count: 3,
      key: 'purchase:pos:A-1',
      msg: 'ok',
    });
  });
});
