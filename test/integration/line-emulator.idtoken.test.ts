import { createHmac } from 'node:crypto';
import type { LineEmulator } from '../../local/line-emulator';
import { TEST_LINE, type TestLineEmulator, startTestLineEmulator } from '../helpers/line-emulator';

describe('LINE emulator: LINE Login ID tokens', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let userId: string;

  beforeAll(async () => {
    t = await startTestLineEmulator();
    emu = t.emu;
    userId = emu.createUser({ displayName: '林美玲', pictureUrl: 'https://example.com/p.png' }).userId;
  });
  afterAll(() => emu.close());

  async function verify(form: Record<string, string>) {
    const res = await fetch(`${emu.baseURL}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: await res.json() };
  }

  it('issues a token via the control API that verifies with the LIFF channel id', async () => {
    const issued = await t.control('POST', `/users/${userId}/id-token`, {});
    expect(issued.status).toBe(200);
    expect(issued.body.exp).toBeGreaterThan(Date.now() / 1000);
    const r = await verify({ id_token: issued.body.idToken, client_id: TEST_LINE.liffChannelId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      iss: 'https://access.line.me',
      sub: userId,
      aud: TEST_LINE.liffChannelId,
      name: '林美玲',
      picture: 'https://example.com/p.png',
    });
  });

  it('rejects expired tokens', async () => {
    const { idToken } = emu.issueIdToken(userId, { ttlSeconds: -10 });
    const r = await verify({ id_token: idToken, client_id: TEST_LINE.liffChannelId });
    expect(r).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'IdToken expired.' } });
  });

  it('rejects a token verified against another channel id', async () => {
    const { idToken } = emu.issueIdToken(userId);
    const r = await verify({ id_token: idToken, client_id: '9999999999' });
    expect(r).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Invalid IdToken Audience.' },
    });
    const other = emu.issueIdToken(userId, { channelId: '9999999999' });
    expect((await verify({ id_token: other.idToken, client_id: '9999999999' })).status).toBe(200);
  });

  it('rejects forged and malformed tokens', async () => {
    const { idToken } = emu.issueIdToken(userId);
    const [h, p] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 'U' + '0'.repeat(32) })).toString('base64url');
    const forgedSig = createHmac('sha256', 'guessed-secret').update(`${h}.${tampered}`).digest('base64url');
    for (const token of [`${h}.${tampered}.${idToken.split('.')[2]}`, `${h}.${tampered}.${forgedSig}`, 'garbage']) {
      const r = await verify({ id_token: token, client_id: TEST_LINE.liffChannelId });
      expect(r).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'Invalid IdToken.' } });
    }
  });

  it('checks nonce when given, and requires id_token and client_id', async () => {
    const { idToken } = emu.issueIdToken(userId, { nonce: 'n-123' });
    expect((await verify({ id_token: idToken, client_id: TEST_LINE.liffChannelId, nonce: 'n-123' })).status).toBe(200);
    const wrong = await verify({ id_token: idToken, client_id: TEST_LINE.liffChannelId, nonce: 'other' });
    expect(wrong.body.error_description).toBe('Invalid IdToken Nonce.');
    expect((await verify({ id_token: idToken })).status).toBe(400);
    const unknown = await t.control('POST', `/users/U${'e'.repeat(32)}/id-token`, {});
    expect(unknown.status).toBe(404);
  });
});
