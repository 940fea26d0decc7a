import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { processEvents } from '../../../bot/event-processor';
import { storeEvents, type IncomingEvent } from '../../../bot/event-store';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * How many database commands the bot sends to handle one chat event, counted with the driver's command monitoring
 * (`commandStarted`), per kind of event. The emulator delivers to a capturing endpoint here, so the test stores the
 * signed events itself and counts only their processing (claim → handle → reply → finish), nothing of its own
 * polling. Counts are deterministic, unlike timings: the test prints them and asserts the ceilings.
 */
describe('#18.5 chat round trips', () => {
  let env: TestEnv;
  let capture: http.Server;
  let captured: IncomingEvent[] = [];
  const commands: string[] = [];
  let counting = false;
  const onCommand = (e: CommandStartedEvent) => {
    if (!counting) return;
    const target = e.command[e.commandName];
    commands.push(`${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  };

  beforeAll(async () => {
    env = await startTestEnv({ monitorCommands: true });
    mongoose.connection.getClient().on('commandStarted', onCommand);
    capture = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: IncomingEvent[] }).events);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    env.local.emulator!.setWebhookUrl(`http://127.0.0.1:${(capture.address() as AddressInfo).port}/`);
  });
  afterAll(async () => {
    mongoose.connection.getClient().off('commandStarted', onCommand);
    await new Promise<void>((resolve) => capture.close(() => resolve()));
    await env.close();
  });

  /** Delivers what the emulator sent as the webhook would (store, then process); returns the commands processing took. */
  async function deliver(send: () => Promise<unknown>): Promise<string[]> {
    captured = [];
    await send();
    const ids = await storeEvents(captured, env.deps.clock());
    expect(ids).toHaveLength(captured.length);
    commands.length = 0;
    counting = true;
    try {
      await processEvents(env.deps, ids);
    } finally {
      counting = false;
    }
    return [...commands];
  }

  const tally = (list: string[]) =>
    Object.entries(list.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {})).map(
      ([c, n]) => `${n}× ${c}`,
    );

  it('prints and bounds the database commands per kind of chat event', async () => {
    const emu = env.emulator;
    const counts: Record<string, string[]> = {};

    const newcomer = (await emu.createUser('新朋友')).userId;
    counts['follow (new member)'] = await deliver(() => emu.follow(newcomer));
    counts['postback consent:accept'] = await deliver(() => emu.postback(newcomer, 'consent:accept'));
    counts['persona answer (postback)'] = await deliver(() => emu.postback(newcomer, 'persona:gender:pick:female'));
    await deliver(() => emu.postback(newcomer, 'persona:birthday:date', { date: '1991-07-15' }));
    counts['persona answer (text)'] = await deliver(() => emu.text(newcomer, '台北'));
    // interests, price, promotion, contact time, phone: skipped, so the Q&A is over and 點數 is a keyword.
    for (let i = 0; i < 5; i++) await deliver(() => emu.text(newcomer, '略過'));
    counts['keyword 點數'] = await deliver(() => emu.text(newcomer, '點數'));
    counts['postback cmd:points'] = await deliver(() => emu.postback(newcomer, 'cmd:points'));
    counts['follow (returning)'] = await deliver(() => emu.follow(newcomer));

    const inbox = await emu.messages(newcomer, 0);
    expect(inbox.at(-2)?.message.altText).toContain('您目前有 50 點');

    const lines = Object.entries(counts).map(([kind, list]) => `${kind}: ${list.length} (${tally(list).join(', ')})`);
    console.log(`database commands per chat event\n${lines.join('\n')}`);

    // Rich menu per member state (#14.3) and journey entry (#15) add 4 to a follow and a consent.
    // Before #18.5: follow 10, consent 12, persona answer 13 / 13, 點數 12, cmd:points 12, returning follow 9.
    // Each count includes the claim's per-user order check (one `find webhookevents`, #18.7). A member's first
    // follow and first consent also move the dashboard counters (#18.8: read the member's counted fields, store its
    // contribution, `$inc` the program and day buckets): once per member, so a load of the dashboard reads
    // O(campaigns + days) instead of scanning members. A chat message also asks whether a colleague has the chat
    // (#13.5: one indexed `find conversations`); postbacks do not. A persona answer's and a consent's timeline lines
    // go in the reply's bulk write (the member as read at the start spares the lastInteractionAt touch), and the
    // chat keeps its copy of the persona script for REPLY_TEXTS_TTL_MS, and a text asks for a survey awaiting its
    // comment only when the member's `satisfaction.at` is inside the comment window: persona answers were 9 / 11,
    // consent 16. A member created by their follow (or first message) has that moment as `lastInteractionAt` from
    // the start, so the follow's timeline line needs no touch and no second counter sync: a new follow was 19.
    expect(Object.fromEntries(Object.entries(counts).map(([kind, list]) => [kind, list.length]))).toEqual({
      'follow (new member)': 15,
      'postback consent:accept': 15,
      'persona answer (postback)': 6,
      'persona answer (text)': 7,
      'keyword 點數': 10,
      'postback cmd:points': 9,
      'follow (returning)': 10,
    });
  });
});
