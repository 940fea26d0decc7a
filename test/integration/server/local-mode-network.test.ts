import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { authenticateApiKey } from '../../../domain/integrations/api-key.service';
import { loadConfig } from '../../../server/config';
import { ensureLocalDemoIntegrationKey } from '../../../server/demo-integration-key';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const root = path.resolve(__dirname, '../../..');

/** Local mode is for this machine: loopback only, an emulator that only the product's page may drive, own secrets. */
describe('#12.10 local mode closed to the network', () => {
  describe('one install', () => {
    let env: TestEnv;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-local-'));
      env = await startTestEnv({ env: { LOCAL_PERSIST: 'true', LOCAL_DATA_DIR: dataDir } });
    });
    afterAll(async () => {
      await env.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('listens on 127.0.0.1 unless HOST says otherwise', () => {
      expect((env.server.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(loadConfig({}, { dotenv: false }).host).toBe('127.0.0.1');
      expect(loadConfig({ HOST: '0.0.0.0' }, { dotenv: false }).host).toBe('0.0.0.0');
    });

    it("the emulator's control API answers the product's own origin, and refuses other origins and hosts", async () => {
      const emu = env.local.emulator!.baseURL;
      const own = await request(emu).get('/_emulator/users').set('Origin', env.url);
      expect(own.status).toBe(200);
      expect(own.headers['access-control-allow-origin']).toBe(env.url);

      const evil = await request(emu)
        .post('/_emulator/users')
        .set('Origin', 'https://evil.example')
        .send({ displayName: '駭客' });
      expect(evil.status).toBe(403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(emu)
        .options('/_emulator/users/U1/text')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(403);
      const rebound = await request(emu).get('/_emulator/users').set('Host', 'evil.example');
      expect(rebound.status).toBe(403);
      expect(env.local.emulator!.listUsers().some((u) => u.displayName === '駭客')).toBe(false);
      // The product and tests call it server-side, without an Origin.
      expect((await request(emu).get('/_emulator/health')).status).toBe(200);
    });

    it('generates the local channel secret and the demo POS key per install and keeps them in .data/', async () => {
      const file = path.join(dataDir, 'local-secrets.json');
      const kept = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect(env.config.line.channelSecret).toBe(kept.channelSecret);
      expect(env.config.line.channelSecret).not.toBe('local-dev-channel-secret');
      expect(env.config.line.channelAccessToken).toBe(kept.channelAccessToken);
      const lines = await ensureLocalDemoIntegrationKey(env);
      expect(lines[0]).toContain(kept.demoPosKey);
      expect(await authenticateApiKey(kept.demoPosKey)).toMatchObject({ source: 'demo-pos' });
      // A webhook signed with the emulator's secret is accepted: the emulator got the same per-install secret.
      const u = await env.emulator.createUser('本機');
      expect((await env.emulator.follow(u.userId)).webhookStatus).toBe(200);
    });
  });

  it('another install gets other secrets; the same install keeps its own across restarts', async () => {
    const dirs = [
      fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-a-')),
      fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-b-')),
    ];
    const secretsOf = async (dir: string) => {
      const env = await startTestEnv({ env: { LOCAL_PERSIST: 'true', LOCAL_DATA_DIR: dir } });
      try {
        return { channelSecret: env.config.line.channelSecret, demoPosKey: env.local.secrets!.demoPosKey };
      } finally {
        await env.close();
      }
    };
    try {
      const a1 = await secretsOf(dirs[0]);
      const a2 = await secretsOf(dirs[0]);
      const b = await secretsOf(dirs[1]);
      expect(a2).toEqual(a1);
      expect(b.channelSecret).not.toBe(a1.channelSecret);
      expect(b.demoPosKey).not.toBe(a1.demoPosKey);
    } finally {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('the README says the partial setups are for development only', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const partial = readme.slice(readme.indexOf('Partial setups'), readme.indexOf('Partial setups') + 600);
    expect(partial).toMatch(/development only/i);
  });
});
