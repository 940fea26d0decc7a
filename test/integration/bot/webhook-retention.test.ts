import { TEST_QUERY_COMMENT } from '../../../local/mongo-standin/query-log';
import { failEvent, finishEvent, storeEvent } from '../../../domain/inbound/webhook-event.service';
import { loadConfig } from '../../../server/config';
import { Interaction } from '../../../models/interaction.model';
import { WebhookEvent } from '../../../models/webhook-event.model';
import { startStandinWithClient } from '../../helpers/mongo-standin';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, waitProcessed } from './chat-driver';

const DAY = 86_400_000;

describe('#11.4 webhookevents TTL', () => {
  let env: TestEnv;
  let now = new Date('2026-03-01T04:00:00Z');
  beforeAll(async () => {
    env = await startTestEnv({ clock: () => now, env: { WEBHOOK_EVENT_RETENTION_DAYS: '45' } });
  });
  afterAll(() => env.close());

  it('declares a TTL index on expireAt (expireAfterSeconds 0) and only handled events carry an expiry', async () => {
    const indexes = await WebhookEvent.collection.indexes();
    expect(indexes.find((i) => i.key.expireAt === 1)).toMatchObject({ expireAfterSeconds: 0 });

    const u = await ChatUser.create(env, '保存期限');
    const sent = await env.emulator.sendEvents([
      {
        type: 'message',
        webhookEventId: '01HTTLEVENT000000000000001',
        source: { type: 'user', userId: u.userId },
        message: { type: 'text', id: '7001', text: '說明' },
      },
    ]);
    const id = sent.webhookEventIds[0];
    expect(await waitProcessed(id)).toMatch(/done|ignored/);
    const done = await WebhookEvent.findOne({ webhookEventId: id }).lean();
    // WEBHOOK_EVENT_RETENTION_DAYS=45 from the config, counted from when the event was handled.
    expect(done!.expireAt!.getTime()).toBe(done!.processedAt!.getTime() + 45 * DAY);

    // Not yet handled, and failed after the last attempt: no expiry, so the TTL never takes them.
    const t = now;
    await storeEvent({ webhookEventId: 'pending-1', type: 'message', payload: {} }, t);
    await storeEvent({ webhookEventId: 'failed-1', type: 'message', payload: {} }, t);
    await failEvent('failed-1', 3, 'boom');
    const unhandled = await WebhookEvent.find({ webhookEventId: { $in: ['pending-1', 'failed-1'] } }).lean();
    expect(unhandled.map((e) => [e.webhookEventId, e.status, e.expireAt ?? null]).sort()).toEqual([
      ['failed-1', 'failed', null],
      ['pending-1', 'pending', null],
    ]);
  });

  it('a redelivery inside the retention window is still recognised: processed once', async () => {
    const u = await ChatUser.create(env, '重送');
    await u.follow();
    const sent = await env.emulator.sendEvents([
      {
        type: 'message',
        webhookEventId: '01HTTLEVENT000000000000002',
        source: { type: 'user', userId: u.userId },
        message: { type: 'text', id: '7002', text: '說明' },
      },
    ]);
    const id = sent.webhookEventIds[0];
    await waitProcessed(id);
    // LINE redelivers within hours; even 44 days later the id is still known.
    now = new Date(now.getTime() + 44 * DAY);
    await env.emulator.redeliver(id);
    await waitProcessed(id);
    const stored = await WebhookEvent.findOne({ webhookEventId: id }).lean();
    expect(stored).toMatchObject({ attempts: 1, redeliveries: 1 });
    expect(await Interaction.countDocuments({ key: `evt:${id}` })).toBe(1);
  });
});

describe('#11.4 webhookevents TTL sweep (the model’s TTL index on a stand-in with a fast TTL monitor)', () => {
  it('removes handled events past their expiry and keeps pending and failed ones however old', async () => {
    const h = await startStandinWithClient({ ttlSweepIntervalMs: 50 });
    try {
      const coll = h.db.collection('webhookevents');
      for (const [key, options] of WebhookEvent.schema.indexes())
        await coll.createIndex(key as never, options as never);
      const longAgo = new Date(Date.now() - 400 * DAY);
      await coll.insertMany([
        { webhookEventId: 'old-done', status: 'done', receivedAt: longAgo, expireAt: new Date(Date.now() - DAY) },
        { webhookEventId: 'recent-done', status: 'done', receivedAt: new Date(), expireAt: new Date(Date.now() + DAY) },
        { webhookEventId: 'old-pending', status: 'pending', receivedAt: longAgo },
        { webhookEventId: 'old-failed', status: 'failed', receivedAt: longAgo },
      ]);
      const until = Date.now() + 5000;
      while ((await coll.countDocuments({ webhookEventId: 'old-done' })) > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 25));
      const left = await coll
        .find({}, { projection: { _id: 0, webhookEventId: 1 }, comment: TEST_QUERY_COMMENT })
        .toArray();
      expect(left.map((d) => d.webhookEventId).sort()).toEqual(['old-failed', 'old-pending', 'recent-done']);
    } finally {
      await h.close();
    }
  });

  it('the retention is configurable, defaults to 30 days and cannot undercut the redelivery window', () => {
    expect(loadConfig({}, { dotenv: false }).webhook.eventRetentionDays).toBe(30);
    expect(loadConfig({ WEBHOOK_EVENT_RETENTION_DAYS: '90' }, { dotenv: false }).webhook.eventRetentionDays).toBe(90);
    expect(() => loadConfig({ WEBHOOK_EVENT_RETENTION_DAYS: '3' }, { dotenv: false })).toThrow(
      /WEBHOOK_EVENT_RETENTION_DAYS: must be at least 7/,
    );
  });

  it('finishEvent sets the expiry from the retention it is given', async () => {
    // A direct check of the rule the processor uses (the default when no config is passed is 30 days).
    const at = new Date('2026-01-01T00:00:00Z');
    const env = await startTestEnv({ clock: () => at });
    try {
      await storeEvent({ webhookEventId: 'direct-1', type: 'follow', payload: {} }, at);
      await finishEvent('direct-1', 'ignored', at);
      const e = await WebhookEvent.findOne({ webhookEventId: 'direct-1' }).lean();
      expect(e!.expireAt).toEqual(new Date(at.getTime() + 30 * DAY));
    } finally {
      await env.close();
    }
  });
});
