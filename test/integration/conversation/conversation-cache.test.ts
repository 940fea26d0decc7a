import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import {
  CHECK_MS,
  bumpConversationVersion,
  getConversationContent,
} from '../../../domain/conversation/conversation-cache.service';
import { matchText } from '../../../domain/conversation/matcher';
import { FaqEntry } from '../../../models/faq-entry.model';
import { Settings } from '../../../models/settings.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * #13.3 FAQ and rules are cached per process, not read per message; an edit made through another instance (here:
 * the stored stamp moves while this process's copy stays) applies within CHECK_MS.
 */
describe('#13.3 conversation cache', () => {
  let env: TestEnv;
  const commands: string[] = [];
  const onCommand = (e: CommandStartedEvent) => {
    const target = e.command[e.commandName];
    commands.push(`${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  };
  beforeAll(async () => {
    env = await startTestEnv({ monitorCommands: true });
    mongoose.connection.getClient().on('commandStarted', onCommand);
  });
  afterAll(async () => {
    mongoose.connection.getClient().off('commandStarted', onCommand);
    await env.close();
  });

  it('reads nothing per message within the check window, and sees another instance’s edit after it', async () => {
    await FaqEntry.create({ question: '營業時間', alternatives: [], answer: '11:00 開門' });
    await bumpConversationVersion();
    const t0 = Date.now();
    const first = await getConversationContent(t0);
    expect(matchText(first.index, '營業時間？')?.id).toBeDefined();

    commands.length = 0;
    for (let i = 0; i < 20; i++) await getConversationContent(t0 + 10 * i);
    expect(commands).toEqual([]);

    // Another instance adds an entry: it writes the entry and moves the stamp, but cannot touch our memory.
    await FaqEntry.create({ question: '門市在哪裡', alternatives: [], answer: '信義區' });
    await Settings.updateOne({ key: 'conversation-content' }, { $inc: { version: 1 } });
    const stale = await getConversationContent(t0 + CHECK_MS - 1);
    expect(matchText(stale.index, '門市在哪裡')).toBeNull();

    commands.length = 0;
    const fresh = await getConversationContent(t0 + CHECK_MS + 1);
    expect(matchText(fresh.index, '門市在哪裡')?.id).toBeDefined();
    // One stamp read, then the two collections re-read once.
    expect(commands.sort()).toEqual(['find autoreplyrules', 'find faqentries', 'find settings']);

    // The stamp unchanged: only the stamp is read.
    commands.length = 0;
    await getConversationContent(t0 + 2 * CHECK_MS + 2);
    expect(commands).toEqual(['find settings']);
  });
});
