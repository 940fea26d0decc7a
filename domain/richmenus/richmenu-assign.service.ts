import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { RichMenu } from '../../models/richmenu.model';
import { RichMenuLink, RichMenuLinkLog } from '../../models/richmenu-link.model';
import { sendWithRetry, TokenBucket } from '../campaigns/send-pacer';
import { buildAudienceFilter, getSegmentRule } from '../segments/segment.service';
import { moduleLogger } from '../shared/logger';
import { BULK_LINK_PER_SECOND, MAX_BULK_LINK_USERS, type RichMenuApi } from './richmenu-api';
import { chooseMenu, type MemberState, type RuledMenu } from './richmenu-rules';
import type { MenuRule } from './richmenu.schema';

const log = moduleLogger('richmenu-assign');
const RETRY = { maxAttempts: 5, baseMs: 200, maxMs: 5000 };

type MenuRow = RuledMenu & { lineRichMenuId: string | null };

async function loadRuledMenus(): Promise<MenuRow[]> {
  const docs = await RichMenu.find({ 'rule.kind': { $ne: 'none' } }, { rule: 1, lineRichMenuId: 1 })
    .sort({ 'rule.priority': 1, _id: 1 })
    .lean();
  return docs.map((d) => ({
    id: String(d._id),
    rule: { ...(d.rule as MenuRule), value: d.rule?.value ?? undefined } as MenuRule,
    published: Boolean(d.lineRichMenuId),
    lineRichMenuId: d.lineRichMenuId ?? null,
  }));
}

const MEMBER_FIELDS = { lineUserId: 1, status: 1, consent: 1, tier: 1, tags: 1, erasedAt: 1 } as const;
type MemberRow = {
  _id: Types.ObjectId;
  lineUserId?: string | null;
  status?: string | null;
  consent?: { status?: string | null } | null;
  tier?: { code?: string | null } | null;
  tags?: Array<{ tag: string }> | null;
  erasedAt?: Date | null;
};

function stateOf(m: MemberRow, segmentIds?: string[]): MemberState {
  return {
    consentStatus: (m.consent?.status ?? 'pending') as MemberState['consentStatus'],
    tierCode: m.tier?.code ?? 'basic',
    tags: (m.tags ?? []).map((t) => t.tag),
    segmentIds,
  };
}

const linkable = (m: MemberRow): m is MemberRow & { lineUserId: string } =>
  Boolean(m.lineUserId) && m.status === 'active' && !m.erasedAt;

/**
 * Links the menu a member's state calls for (consent, tier, tags; segment menus are decided at the nightly run),
 * right after that state changed. Idempotent: the linked menu is stored per member and an unchanged one is not
 * linked again. A failure is logged, never thrown: a menu must not break a consent or a purchase (the nightly
 * reconcile fixes it).
 */
export async function syncMemberRichMenu(
  api: RichMenuApi,
  memberId: Types.ObjectId | string,
  now: Date,
  reason: string,
): Promise<{ changed: boolean; menuId: string | null }> {
  try {
    const [member, menus, link] = await Promise.all([
      Member.findById(memberId, MEMBER_FIELDS).lean<MemberRow>(),
      loadRuledMenus(),
      RichMenuLink.findOne({ memberId }).lean(),
    ]);
    if (!member || !linkable(member)) return { changed: false, menuId: null };
    const current = link?.menuId ? String(link.menuId) : null;
    const target = chooseMenu(menus, stateOf(member), now, current);
    const lineId = target ? (menus.find((m) => m.id === target)?.lineRichMenuId ?? null) : null;
    if (link && (link.lineRichMenuId ?? null) === lineId) return { changed: false, menuId: target };
    if (!link && !lineId) return { changed: false, menuId: null };
    if (lineId) await api.linkUser(member.lineUserId, lineId);
    else await api.unlinkUser(member.lineUserId);
    await saveLinks([{ member, from: current, to: target, lineId }], reason, 'single', now);
    return { changed: true, menuId: target };
  } catch (err) {
    log.warn({ err, memberId: String(memberId), reason }, 'rich menu not linked; the nightly reconcile retries');
    return { changed: false, menuId: null };
  }
}

interface Change {
  member: MemberRow & { lineUserId: string };
  from: string | null;
  to: string | null;
  lineId: string | null;
}

async function saveLinks(changes: Change[], reason: string, via: 'single' | 'bulk', now: Date): Promise<void> {
  if (!changes.length) return;
  await RichMenuLink.bulkWrite(
    changes.map((c) => ({
      updateOne: {
        filter: { memberId: c.member._id },
        update: {
          $set: {
            lineUserId: c.member.lineUserId,
            menuId: c.to,
            lineRichMenuId: c.lineId,
            reason,
            linkedAt: now,
          },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  await RichMenuLinkLog.insertMany(
    changes.map((c) => ({ memberId: c.member._id, fromMenuId: c.from, toMenuId: c.to, reason, via, at: now })),
    { ordered: false },
  );
}

export interface BulkResult {
  checked: number;
  changed: number;
  bulkCalls: number;
  failed: number;
}

/**
 * Decides the menu of many members at once and applies the changes with LINE's bulk link/unlink (≤ 500 user IDs
 * a call, paced by a token bucket), then stores them. Members whose menu is unchanged cost nothing.
 */
async function applyInBulk(
  api: RichMenuApi,
  members: MemberRow[],
  menus: MenuRow[],
  links: Map<string, { menuId: string | null; lineRichMenuId: string | null }>,
  segmentsOf: ((memberId: string) => string[]) | null,
  now: Date,
  reason: string,
): Promise<BulkResult> {
  const groups = new Map<string, Change[]>();
  let checked = 0;
  for (const m of members) {
    if (!linkable(m)) continue;
    checked++;
    const link = links.get(String(m._id));
    const current = link?.menuId ?? null;
    const target = chooseMenu(menus, stateOf(m, segmentsOf ? segmentsOf(String(m._id)) : undefined), now, current);
    const lineId = target ? (menus.find((x) => x.id === target)?.lineRichMenuId ?? null) : null;
    if ((link?.lineRichMenuId ?? null) === lineId) continue;
    const key = lineId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), { member: m, from: current, to: target, lineId }]);
  }
  const bucket = new TokenBucket(BULK_LINK_PER_SECOND, 1);
  const out: BulkResult = { checked, changed: 0, bulkCalls: 0, failed: 0 };
  for (const [lineId, changes] of groups) {
    for (let i = 0; i < changes.length; i += MAX_BULK_LINK_USERS) {
      const chunk = changes.slice(i, i + MAX_BULK_LINK_USERS);
      const ids = chunk.map((c) => c.member.lineUserId);
      const sent = await sendWithRetry(
        () => (lineId ? api.linkUsers(ids, lineId) : api.unlinkUsers(ids)),
        RETRY,
        () => bucket.take(),
      );
      out.bulkCalls += sent.attempts;
      if (!sent.ok) {
        out.failed += chunk.length;
        log.warn({ status: sent.error.status, users: chunk.length }, 'bulk rich-menu link failed');
        continue;
      }
      await saveLinks(chunk, reason, 'bulk', now);
      out.changed += chunk.length;
    }
  }
  return out;
}

async function linksOf(memberIds: Types.ObjectId[]) {
  const rows = await RichMenuLink.find(
    { memberId: { $in: memberIds } },
    { memberId: 1, menuId: 1, lineRichMenuId: 1 },
  ).lean();
  return new Map(
    rows.map((r) => [
      String(r.memberId),
      { menuId: r.menuId ? String(r.menuId) : null, lineRichMenuId: r.lineRichMenuId ?? null },
    ]),
  );
}

/** The members of each segment that a menu rule names (evaluated now, as the nightly run sees them). */
async function segmentMembership(menus: MenuRow[], now: Date, timeZone: string): Promise<Map<string, Set<string>>> {
  const byMember = new Map<string, Set<string>>();
  const segmentIds = [...new Set(menus.filter((m) => m.rule.kind === 'segment').map((m) => m.rule.value!))];
  for (const sid of segmentIds) {
    const rule = await getSegmentRule(sid).catch(() => null);
    if (!rule) continue;
    const filter = await buildAudienceFilter(rule, now, { timeZone });
    for await (const m of Member.find(filter, { _id: 1 }).lean().cursor()) {
      const key = String(m._id);
      byMember.set(key, (byMember.get(key) ?? new Set()).add(sid));
    }
  }
  return byMember;
}

/** Bulk sync of given members (the tier review's changes): consent, tier and tag rules; segments kept. */
export async function syncRichMenusBulk(
  api: RichMenuApi,
  memberIds: Array<Types.ObjectId | string>,
  now: Date,
  reason: string,
): Promise<BulkResult> {
  const menus = await loadRuledMenus();
  const out: BulkResult = { checked: 0, changed: 0, bulkCalls: 0, failed: 0 };
  if (!memberIds.length) return out;
  const members = await Member.find({ _id: { $in: memberIds } }, MEMBER_FIELDS).lean<MemberRow[]>();
  return applyInBulk(api, members, menus, await linksOf(members.map((m) => m._id)), null, now, reason);
}

/**
 * The nightly reconcile: every reachable member's menu decided again, segments included, and every difference from
 * what we stored (a missed event, a segment change, a menu published or deleted since) linked in bulk. A full pass
 * by design (test/integration/index-guard.test.ts); LINE calls grow only with the members whose menu changes.
 */
export async function reconcileRichMenus(api: RichMenuApi, now: Date, opts: { timeZone: string }): Promise<BulkResult> {
  const menus = await loadRuledMenus();
  const segments = await segmentMembership(menus, now, opts.timeZone);
  const all = await Member.find({ status: 'active', lineUserId: { $exists: true } }, MEMBER_FIELDS).lean<MemberRow[]>();
  // Every stored link, read once (the pass covers every member anyway): no 300k-id `$in`.
  const links = new Map<string, { menuId: string | null; lineRichMenuId: string | null }>();
  for await (const r of RichMenuLink.find({}, { memberId: 1, menuId: 1, lineRichMenuId: 1 }).lean().cursor())
    links.set(String(r.memberId), {
      menuId: r.menuId ? String(r.menuId) : null,
      lineRichMenuId: r.lineRichMenuId ?? null,
    });
  return applyInBulk(api, all, menus, links, (id) => [...(segments.get(id) ?? [])], now, 'reconcile');
}

/** Moves every member linked to one LINE menu version to another (a re-publish) or to none (a delete). */
export async function relinkMenu(
  api: RichMenuApi,
  fromLineId: string,
  toLineId: string | null,
  now: Date,
): Promise<number> {
  const rows = await RichMenuLink.find({ lineRichMenuId: fromLineId }, { memberId: 1, lineUserId: 1 }).lean();
  const bucket = new TokenBucket(BULK_LINK_PER_SECOND, 1);
  for (let i = 0; i < rows.length; i += MAX_BULK_LINK_USERS) {
    const chunk = rows.slice(i, i + MAX_BULK_LINK_USERS);
    const ids = chunk.map((r) => r.lineUserId);
    const sent = await sendWithRetry(
      () => (toLineId ? api.linkUsers(ids, toLineId) : api.unlinkUsers(ids)),
      RETRY,
      () => bucket.take(),
    );
    if (!sent.ok) {
      log.warn({ status: sent.error.status }, 'relink after publish failed; the nightly reconcile retries');
      continue;
    }
    await RichMenuLink.updateMany(
      { _id: { $in: chunk.map((r) => r._id) } },
      { $set: { lineRichMenuId: toLineId, linkedAt: now, ...(toLineId ? {} : { menuId: null }) } },
    );
  }
  return rows.length;
}
