import { Settings } from '../../../models/settings.model';
import { ACK_TARGET_MS, createEventProcessor } from '../../../bot/event-processor';
import { storeEvents, type IncomingEvent } from '../../../bot/event-store';
import { Interaction } from '../../../models/interaction.model';
import { WebhookEvent } from '../../../models/webhook-event.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, waitProcessed } from './chat-driver';

/**
 * The webhook under a burst: the ack (verify, store, 200) never waits for processing; processing runs from the
 * store with bounded concurrency, once per event across instances, in order per user, and recovers what a crash
 * left behind. The clock ticks one millisecond per read, so the order in which events were handled can be read
 * from their timeline entries.
 */
describe('#18.7 webhook holds a burst', () => {
  let env: TestEnv;
  let t = Date.now();
  beforeAll(async () => {
    env = await startTestEnv({ clock: () => new Date((t += 1)) });
  });
  afterAll(async () => {
    await env.close();
  });

  let n = 0;
  /** A text event as LINE sends it, without a reply token (the answer is pushed). */
  const textEvent = (userId: string, text: string): IncomingEvent => ({
    type: 'message',
    webhookEventId: `01HBURST${String(++n).padStart(18, '0')}`,
    timestamp: t,
    mode: 'active',
    source: { type: 'user', userId },
    deliveryContext: { isRedelivery: false },
    message: { type: 'text', id: `m${n}`, text },
  });

  it('the ack answers before processing finishes: a slow processing path does not delay the 200', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    await env.emulator.setFaults({ latencyMs: 1500 });
    try {
      const sent = await env.emulator.text(u.userId, '說明');
      expect(sent.webhookStatus).toBe(200);
      const atAck = await WebhookEvent.findOne({ webhookEventId: sent.webhookEventId }).lean();
      // Stored before the 200, and not handled yet: the reply call toward LINE is still waiting.
      expect(atAck?.status).toMatch(/^(pending|processing)$/);
      expect(await waitProcessed(sent.webhookEventId, 10_000)).toBe('done');
    } finally {
      await env.emulator.setFaults({ latencyMs: 0 });
    }
    const inbox = await env.emulator.messages(u.userId, 0);
    expect(inbox.at(-1)?.message.text).toContain('・會員卡');
  });

  it('two processor instances sharing the store handle each event exactly once, each user in order', async () => {
    const users = await Promise.all([1, 2, 3].map(() => ChatUser.create(env)));
    for (const u of users) await u.follow();
    // Nobody on duty in the inbox (#13.5): every one of these texts gets the bot's answer, none is handed over.
    await Settings.updateOne(
      { key: 'program' },
      { $set: { value: { inbox: { openingHours: [null, null, null, null, null, null, null] } } } },
      { upsert: true },
    );
    const events: IncomingEvent[] = [];
    for (let i = 1; i <= 8; i++) for (const u of users) events.push(textEvent(u.userId, `第${i}則想問的事`));
    // One request per event, as a burst of separate deliveries arrives.
    const refs = [];
    for (const e of events) refs.push(...(await storeEvents([e], env.deps.clock())));
    const a = createEventProcessor(env.deps, { concurrency: 3 });
    const b = createEventProcessor(env.deps, { concurrency: 3 });
    // Both instances hear of every event (as after a poll each), in the order they arrived.
    a.offer(refs);
    b.offer([...refs].reverse());
    for (const ref of refs) expect(await waitProcessed(ref.webhookEventId, 20_000)).toBe('done');
    await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(), b.stop()]);

    const ids = refs.map((r) => r.webhookEventId);
    const stored = await WebhookEvent.find({ webhookEventId: { $in: ids } }).lean();
    expect(stored.map((e) => e.attempts)).toEqual(ids.map(() => 1));
    expect(await Interaction.countDocuments({ key: { $in: ids.map((id) => `reply:${id}`) } })).toBe(ids.length);
    expect(a.stats().processed + b.stats().processed).toBeGreaterThanOrEqual(ids.length);
    for (const u of users) {
      const inbound = await Interaction.find({ lineUserId: u.userId, type: 'message_in' }).sort({ at: 1 }).lean();
      expect(inbound.map((i) => i.summary)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `第${i}則想問的事`));
      const answers = (await env.emulator.messages(u.userId, 0)).filter((m) => m.via === 'push');
      expect(answers).toHaveLength(8);
    }
    await Settings.deleteOne({ key: 'program' });
  });

  it('a crash between ack and processing is recovered by the poll (stored only, or claimed by a dead instance)', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const [storedOnly] = await storeEvents([textEvent(u.userId, '點數')], env.deps.clock());
    const [claimedThenLost] = await storeEvents([textEvent(u.userId, '說明')], env.deps.clock());
    // The instance that claimed the second one died: its lease ran out.
    await WebhookEvent.updateOne(
      { webhookEventId: claimedThenLost.webhookEventId },
      { $set: { status: 'processing', lockedUntil: new Date(t - 1000) }, $inc: { attempts: 1 } },
    );
    expect(await env.events.poll({ graceMs: 0 })).toBe(2);
    expect(await waitProcessed(storedOnly.webhookEventId)).toBe('done');
    expect(await waitProcessed(claimedThenLost.webhookEventId)).toBe('done');
    const texts = (await env.emulator.messages(u.userId, 0)).map((m) => m.message.text ?? m.message.altText);
    expect(texts.slice(-2)).toEqual([expect.stringContaining('您目前有'), expect.stringContaining('・會員卡')]);
    expect((await WebhookEvent.findOne({ webhookEventId: claimedThenLost.webhookEventId }).lean())?.attempts).toBe(2);
  });

  it('backpressure: a full queue leaves the rest in the store and takes it later, losing nothing', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const refs = await storeEvents(
      Array.from({ length: 10 }, (_, i) => textEvent(u.userId, `排隊${i + 1}`)),
      env.deps.clock(),
    );
    const p = createEventProcessor(env.deps, { concurrency: 1, maxQueued: 2 });
    p.offer(refs);
    expect(p.stats()).toMatchObject({ queued: 2, deferred: 8 });
    for (const ref of refs) expect(await waitProcessed(ref.webhookEventId, 20_000)).toBe('done');
    await p.stop();
    const inbound = await Interaction.find({ lineUserId: u.userId, type: 'message_in' }).sort({ at: 1 }).lean();
    expect(inbound.map((i) => i.summary)).toEqual(refs.map((_, i) => `排隊${i + 1}`));
  });

  it('slow acks make processing take fewer events at once, never none; fast acks give the room back', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => ChatUser.create(env)));
    for (const u of users) await u.follow();
    const p = createEventProcessor(env.deps, { concurrency: 8 });
    expect(p.stats().limit).toBe(8);
    // Acks slower than the target halve what processing takes at once, down to one.
    p.ackFinished(ACK_TARGET_MS * 4);
    expect(p.stats().limit).toBe(4);
    for (let i = 0; i < 5; i++) p.ackFinished(ACK_TARGET_MS * 4);
    expect(p.stats().limit).toBe(1);
    // Still slow: one event at a time keeps being handled (a sustained burst does not stop processing).
    const refs = await storeEvents(
      users.flatMap((u) => [textEvent(u.userId, '點數'), textEvent(u.userId, '說明')]),
      env.deps.clock(),
    );
    p.offer(refs);
    await new Promise((r) => setImmediate(r));
    expect(p.stats().inFlight).toBe(1);
    p.ackFinished(ACK_TARGET_MS * 4);
    for (const ref of refs) expect(await waitProcessed(ref.webhookEventId, 20_000)).toBe('done');
    // Fast acks add one back each, up to the configured concurrency.
    for (let i = 0; i < 3; i++) p.ackFinished(1);
    expect(p.stats().limit).toBe(4);
    for (let i = 0; i < 10; i++) p.ackFinished(1);
    expect(p.stats().limit).toBe(8);
    await p.stop();
  });
});
