import { ensureMemberForLineUser, registerFollow } from '../../../domain/members/member-lifecycle.service';
import {
  addTags,
  findMemberByLineUserId,
  removeTag,
  removeTagsFromSource,
} from '../../../domain/members/member.service';
import {
  getPersonaScript,
  getPersonaScriptRecord,
  resetPersonaScript,
  savePersonaScript,
} from '../../../domain/persona/persona-script.service';
import { AppError } from '../../../domain/shared/errors';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PersonaScriptDoc } from '../../../models/persona-script.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser, waitProcessed } from './chat-driver';

const now = () => new Date();
const lineId = () => `U${[...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('')}`;
const appError = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => (err instanceof AppError ? err : Promise.reject(err)),
  );

describe('member service and persona script service', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  describe('tags', () => {
    it('adds tags with their source once; the first source wins; staff and keyword tags reach the timeline', async () => {
      const { member } = await registerFollow({
        lineUserId: lineId(),
        profile: null,
        now: now(),
        erasureSecret: env.config.privacy.erasureHmacSecret,
      });
      expect(await addTags(member._id, ['興趣:3C', ' 興趣:美妝 ', '興趣:3C'], 'persona', undefined, now())).toEqual([
        '興趣:3C',
        '興趣:美妝',
      ]);
      expect(await addTags(member._id, ['興趣:3C', 'VIP'], 'staff', 'console:amy', now())).toEqual(['VIP']);
      const m = await findMemberByLineUserId(member.lineUserId!);
      expect(m!.tags.map((t) => [t.tag, t.source, t.addedBy ?? null])).toEqual([
        ['興趣:3C', 'persona', null],
        ['興趣:美妝', 'persona', null],
        ['VIP', 'staff', 'console:amy'],
      ]);
      const logged = await Interaction.find({ memberId: member._id, type: 'tag' }).lean();
      expect(logged.map((i) => i.summary)).toEqual(['加上標籤（店員）：VIP']);
    });

    it('removes a tag whatever its source, and persona removals spare other sources', async () => {
      const { member } = await registerFollow({
        lineUserId: lineId(),
        profile: null,
        now: now(),
        erasureSecret: env.config.privacy.erasureHmacSecret,
      });
      await addTags(member._id, ['A'], 'staff', 'x', now());
      await addTags(member._id, ['B', 'C'], 'persona', undefined, now());
      await removeTagsFromSource(member._id, ['A', 'B'], 'persona');
      expect((await Member.findById(member._id).lean())!.tags.map((t) => t.tag)).toEqual(['A', 'C']);
      expect(await removeTag(member._id, 'A')).toBe(true);
      expect(await removeTag(member._id, 'A')).toBe(false);
      expect((await Member.findById(member._id).lean())!.tags.map((t) => t.tag)).toEqual(['C']);
    });

    it('bad input is refused with field errors and nothing stored', async () => {
      const { member } = await registerFollow({
        lineUserId: lineId(),
        profile: null,
        now: now(),
        erasureSecret: env.config.privacy.erasureHmacSecret,
      });
      for (const call of [
        () => addTags(member._id, [''], 'staff', 'x', now()),
        () => addTags(member._id, ['x'.repeat(41)], 'staff', 'x', now()),
        () => addTags(member._id, ['ok'], 'robot' as never, 'x', now()),
        () => addTags(member._id, [42 as unknown as string], 'staff', 'x', now()),
      ]) {
        const err = await appError(call());
        expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
      }
      expect((await Member.findById(member._id).lean())!.tags).toEqual([]);
      expect(await appError(addTags('0123456789abcdef01234567', ['x'], 'staff', 'x', now()))).toMatchObject({
        code: 'member_not_found',
      });
    });
  });

  describe('lifecycle', () => {
    it('a follow and a message racing for a new user end with one member', async () => {
      const id = lineId();
      const results = await Promise.all([
        registerFollow({
          lineUserId: id,
          profile: { userId: id, displayName: '同時' },
          now: now(),
          erasureSecret: env.config.privacy.erasureHmacSecret,
        }),
        ensureMemberForLineUser({
          lineUserId: id,
          profile: async () => null,
          now: now(),
          erasureSecret: env.config.privacy.erasureHmacSecret,
        }),
        ensureMemberForLineUser({
          lineUserId: id,
          profile: async () => null,
          now: now(),
          erasureSecret: env.config.privacy.erasureHmacSecret,
        }),
      ]);
      expect(await Member.countDocuments({ lineUserId: id })).toBe(1);
      expect(new Set(results.map((r) => String(r.member._id))).size).toBe(1);
    });

    it('a message from a member marked blocked re-activates them (LINE only lets friends chat)', async () => {
      const u = await ChatUser.create(env);
      await u.follow();
      await Member.updateOne({ lineUserId: u.userId }, { $set: { status: 'blocked', blockedAt: now() } });
      expect((await u.say('點數')).texts[0]).toContain('您目前有');
      expect(await u.member()).toMatchObject({ status: 'active' });
    });

    it('a user who never followed (the follow event was lost) becomes a member on first message and sees the notice', async () => {
      const user = await env.emulator.createUser('沒有加好友事件');
      // The follow happens while our webhook is unreachable, so its event never arrives.
      await env.emulator.call('PUT', '/_emulator/webhook', { url: null });
      await env.emulator.follow(user.userId);
      await env.emulator.call('PUT', '/_emulator/webhook', { url: `${env.url}/webhook` });
      const sent = await env.emulator.sendEvents([
        {
          type: 'message',
          source: { type: 'user', userId: user.userId },
          message: { id: 'x1', type: 'text', text: '說明' },
        },
      ]);
      await waitProcessed(sent.webhookEventIds[0]);
      const inbox = await env.emulator.messages(user.userId, 2);
      expect(inbox.map((e) => e.message.text?.slice(0, 8))).toEqual(['您可以點下方選單', '【個人資料蒐集告']);
      expect(await findMemberByLineUserId(user.userId)).toMatchObject({
        displayName: '沒有加好友事件',
        consent: { status: 'pending' },
      });
    });
  });

  describe('persona script', () => {
    afterEach(async () => {
      await resetPersonaScript();
    });

    it('an invalid script is refused with field errors and nothing stored', async () => {
      const err = await appError(
        savePersonaScript({
          intro: '',
          completion: 'x',
          questions: [{ id: 'q', type: 'single', prompt: '?', options: [] }],
        }),
      );
      expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
      expect((err!.details as { fields: Array<{ path: string }> }).fields.map((f) => f.path)).toEqual(
        expect.arrayContaining(['intro', 'questions.0.options']),
      );
      expect(await PersonaScriptDoc.countDocuments({})).toBe(0);
      expect((await getPersonaScriptRecord()).isDefault).toBe(true);
    });

    it('a saved script drives the chat; a stale revision is refused', async () => {
      const script = {
        intro: '只有一題喔！',
        completion: '謝謝！',
        questions: [
          {
            id: 'nickname',
            title: '暱稱',
            type: 'text',
            field: 'name',
            prompt: '我們怎麼稱呼您？',
            validator: { maxLength: 8 },
          },
        ],
      };
      const saved = await savePersonaScript(script, { actor: 'console:amy', expectedRevision: 0 });
      expect(saved).toMatchObject({ revision: 1, isDefault: false, updatedBy: 'console:amy' });
      expect(await appError(savePersonaScript(script, { expectedRevision: 0 }))).toMatchObject({
        code: 'persona_script_conflict',
        status: 409,
      });
      expect((await savePersonaScript(script, { expectedRevision: 1 })).revision).toBe(2);

      const u = await consentedUser(env);
      const m = await u.member();
      expect(m!.persona!.state).toMatchObject({ current: 'nickname' });
      const long = await u.say('一個非常非常長的名字喔');
      expect(long.texts[0]).toContain('格式不太對');
      const done = await u.say('小安');
      expect(done.texts).toEqual(['謝謝！', '🎁 已送您 50 點作為感謝，目前共有 50 點。']);
      expect(await u.member()).toMatchObject({ name: '小安', pointsBalance: 50 });
    });

    it('editing the script mid-run: the member continues at the first question still open', async () => {
      const u = await consentedUser(env);
      await u.say('女');
      const defaults = await getPersonaScript();
      await savePersonaScript({ ...defaults, questions: defaults.questions.filter((q) => q.id !== 'birthday') });
      const next = await u.say('台南');
      expect(next.texts[0]).toContain('（3/7）您對哪些商品有興趣');
      expect(await u.member()).toMatchObject({ gender: 'female', city: '台南市' });
    });
  });
});
