import request from 'supertest';
import { Types } from 'mongoose';
import { ensureTrackedLinks, memberLinkCodes } from '../../../domain/campaigns/tracked-links.service';
import { mergeMembers } from '../../../domain/members/member-merge.service';
import { eraseMemberData } from '../../../domain/members/privacy.service';
import { Interaction } from '../../../models/interaction.model';
import { LinkCode, TrackedLink } from '../../../models/tracked-link.model';
import { buildMember } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

// #17.4: a short code in a message the merged-away member got still works, and now counts for the kept member.
let env: TestEnv;
let seq = 0;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

async function pair() {
  seq += 1;
  const target = await buildMember({ lineUserId: `Ulinkmerge${seq}x${process.pid}` });
  const source = await buildMember({
    lineUserId: undefined,
    status: 'imported',
    followedAt: undefined,
    consent: { status: 'pending', marketing: false },
  });
  return { target, source };
}

const merge = (targetId: string, sourceId: string) =>
  mergeMembers({
    targetId,
    sourceId,
    actor: 'tester',
    now: env.deps.clock(),
    erasureSecret: env.config.privacy.erasureHmacSecret,
  });

const clicksOf = (memberId: Types.ObjectId) => Interaction.countDocuments({ type: 'click', memberId });

describe('#17.4 link codes follow a member merge', () => {
  it("the merged-away member's codes move to the kept member; where the kept member has their own, the old code stands for it", async () => {
    const { target, source } = await pair();
    const campaignId = new Types.ObjectId();
    const [only, shared] = await ensureTrackedLinks(campaignId, [
      { type: 'text', text: 'https://shop.example.com/a https://shop.example.com/b' },
    ]);
    const sourceCodes = await memberLinkCodes([only, shared], source._id, campaignId);
    const targetCodes = await memberLinkCodes([shared], target._id, campaignId);
    const oldOnly = sourceCodes.get(only.id)!;
    const oldShared = sourceCodes.get(shared.id)!;
    const keptShared = targetCodes.get(shared.id)!;

    await merge(target.id, source.id);
    expect(await LinkCode.findById(oldOnly).lean()).toMatchObject({ memberId: target._id, linkId: only.id });
    expect(await LinkCode.findById(keptShared).lean()).toMatchObject({ memberId: target._id, linkId: shared.id });
    expect(await LinkCode.findById(oldShared).lean()).toMatchObject({ aliasOf: keptShared });
    // A repeat of the merge changes nothing.
    await merge(target.id, source.id);
    expect(await LinkCode.countDocuments()).toBe(3);

    // Every old code still redirects; its click is the kept member's (once per link), none the merged-away one's.
    expect((await request(env.url).get(`/r/${oldOnly}`)).headers.location).toBe('https://shop.example.com/a');
    expect((await request(env.url).get(`/r/${oldShared}`)).headers.location).toBe('https://shop.example.com/b');
    await request(env.url).get(`/r/${keptShared}`).expect(302);
    expect(await clicksOf(target._id)).toBe(2);
    expect(await clicksOf(source._id)).toBe(0);
    expect(await Interaction.exists({ key: `click:${shared.id}:${target._id}`, memberId: target._id })).toBeTruthy();
    expect((await TrackedLink.findById(shared.id).lean())?.clicks).toBe(2);
  });

  it('after the kept member is erased, an alias of their code no longer names anyone: 404', async () => {
    const { target, source } = await pair();
    const campaignId = new Types.ObjectId();
    const [link] = await ensureTrackedLinks(campaignId, [{ type: 'text', text: 'https://shop.example.com/c' }]);
    const old = (await memberLinkCodes([link], source._id, campaignId)).get(link.id)!;
    await memberLinkCodes([link], target._id, campaignId);
    await merge(target.id, source.id);
    await eraseMemberData(target._id, new Date(), { erasureSecret: env.config.privacy.erasureHmacSecret });
    expect((await request(env.url).get(`/r/${old}`)).status).toBe(404);
    expect((await TrackedLink.findById(link.id).lean())?.clicks ?? 0).toBe(0);
  });
});
