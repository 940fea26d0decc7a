import { createHmac } from 'node:crypto';
import http from 'node:http';
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { processEvents } from '../../../bot/event-processor';
import { storableEvent, storeEvents, type IncomingEvent } from '../../../bot/event-store';
import { WebhookEvent } from '../../../models/webhook-event.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The ack path's write (verify → store → 200): requests that arrive together are stored by one insert (no read,
 * no update), each acknowledged only once that insert is; the stored document is the model's shape; a redelivery
 * inside the same group insert is recognised by the unique id and processed once. Commands are counted with the
 * driver's command monitoring, so nothing here depends on timing.
 */
describe('#18.6 webhook ack path', () => {
  let env: TestEnv;
  const commands: string[] = [];
  let counting = false;
  const onCommand = (e: CommandStartedEvent) => {
    const target = e.command[e.commandName];
    if (counting && target === 'webhookevents') commands.push(e.commandName);
  };
  beforeAll(async () => {
    env = await startTestEnv({ monitorCommands: true });
    // The ack alone: events stay pending in the store (processing would add its own commands).
    await env.events.stop();
    mongoose.connection.getClient().on('commandStarted', onCommand);
  });
  afterAll(async () => {
    mongoose.connection.getClient().off('commandStarted', onCommand);
    await env.close();
  });

  let n = 0;
  const textEvent = (userId: string, text = '點數'): IncomingEvent & { webhookEventId: string } => ({
    type: 'message',
    webhookEventId: `01HACK${String(++n).padStart(20, '0')}`,
    timestamp: Date.now(),
    mode: 'active',
    source: { type: 'user', userId },
    deliveryContext: { isRedelivery: false },
    message: { type: 'text', id: `m${n}`, text },
  });

  function post(agent: http.Agent, body: string): Promise<{ status: number; text: string }> {
    const url = new URL(`${env.url}/webhook`);
    const signature = createHmac('sha256', env.config.line.channelSecret).update(body).digest('base64');
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-line-signature': signature },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('40 requests at once: each acknowledged after its event is stored, by fewer inserts than requests and no update', async () => {
    const userId = env.local.emulator!.createUser({ displayName: '同時來的' }).userId;
    const events = Array.from({ length: 40 }, () => textEvent(userId));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
    commands.length = 0;
    counting = true;
    const answers = await Promise.all(
      events.map((e) => post(agent, JSON.stringify({ destination: 'Utest', events: [e] }))),
    ).finally(() => {
      counting = false;
      agent.destroy();
    });
    expect(answers.every((a) => a.status === 200 && a.text === '{}')).toBe(true);
    const inserts = commands.filter((c) => c === 'insert').length;
    expect(inserts).toBeGreaterThanOrEqual(1);
    expect(inserts).toBeLessThan(40);
    // The ack reads nothing and updates nothing: one insert carries the new events.
    expect(commands.filter((c) => c !== 'insert')).toEqual([]);
    const stored = await WebhookEvent.find({ webhookEventId: { $in: events.map((e) => e.webhookEventId) } }).lean();
    expect(stored).toHaveLength(40);
    for (const doc of stored) {
      expect(doc).toMatchObject({
        type: 'message',
        sourceType: 'user',
        userId,
        status: 'pending',
        attempts: 0,
        redeliveries: 0,
      });
      expect(doc.receivedAt).toBeInstanceOf(Date);
      expect(typeof doc.seq).toBe('number');
      expect(doc.payload).toEqual(events.find((e) => e.webhookEventId === doc.webhookEventId));
    }
  });

  it('a redelivery while the first copy is being inserted, and the same id twice in one body: stored once, counted, processed once', async () => {
    const userId = env.local.emulator!.createUser({ displayName: '重送的' }).userId;
    const a = textEvent(userId);
    const b = textEvent(userId, '說明');
    const now = new Date();
    // The second call joins the insert after the first one (or the same one): the unique id refuses the copies.
    const [first, second] = await Promise.all([storeEvents([a, a, b], now), storeEvents([a], now)]);
    expect(first.map((r) => r.webhookEventId)).toEqual([a.webhookEventId, b.webhookEventId]);
    expect(second).toEqual([]);
    const stored = await WebhookEvent.find({ webhookEventId: a.webhookEventId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0].redeliveries).toBe(2);
    expect((await WebhookEvent.findOne({ webhookEventId: b.webhookEventId }).lean())?.redeliveries).toBe(0);
    // Processing what the ack returned (and the refused copy once more) handles each event once.
    await processEvents(env.deps, [...first, ...first]);
    for (const id of [a.webhookEventId, b.webhookEventId])
      expect(await WebhookEvent.findOne({ webhookEventId: id }).lean()).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a real event is stored as it came (no copy); a forged one with `$`/`.` keys is stored under safe keys', async () => {
    const real = textEvent('U0000000000000000000000000000real');
    expect(storableEvent(real)).toBe(real);
    const forged = { ...textEvent('U00000000000000000000000000forged'), extra: { $where: 1, 'a.b': 2 } };
    const [ref] = await storeEvents([forged], new Date());
    const doc = await WebhookEvent.findOne({ webhookEventId: ref.webhookEventId }).lean();
    expect((doc?.payload as { extra: unknown }).extra).toEqual({ '＄where': 1, 'a．b': 2 });
    // The body the sender holds is not changed by storing it.
    expect(forged.extra).toEqual({ $where: 1, 'a.b': 2 });
  });
});
