import { Member } from '../../models/member.model';
import { maskPhone, normalizeTaiwanMobile } from '../shared/phone';

export interface MemberSearchFilters {
  /** Name, LINE name, member code, phone (full or partial digits) or a tag (see `qTags`). */
  q?: string;
  /** The tags in use that `q` names (`美妝` → `興趣:美妝`), resolved by `withSearchTags`; without it, `q` as a tag. */
  qTags?: string[];
  /** A compiled segment filter (the API resolves a segment id through the segments capability). */
  segmentFilter?: Record<string, unknown>;
  rfm?: string;
  tier?: string;
  /** Members carrying all of these tags. */
  tags?: string[];
  consent?: 'marketing' | 'no-marketing' | 'pending' | 'declined';
  status?: 'active' | 'blocked' | 'imported';
  persona?: 'completed' | 'incomplete';
}

export type MemberSort = 'recent' | 'lastInteraction' | 'spend' | 'points';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The member filter for a console search; shared by the list, the count and the CSV export. */
export function buildMemberFilter(f: MemberSearchFilters): Record<string, unknown> {
  // Merged imported records live on in their LINE member (mergedInto): never listed, counted or exported.
  const and: Record<string, unknown>[] = [{ erasedAt: null, mergedInto: null }];
  const q = f.q?.trim();
  if (q) {
    const or: Record<string, unknown>[] = [
      { memberCode: q.toUpperCase() },
      { name: { $regex: escapeRegex(q), $options: 'i' } },
      { displayName: { $regex: escapeRegex(q), $options: 'i' } },
      { 'tags.tag': { $in: [...new Set([q, ...(f.qTags ?? [])])] } },
    ];
    const phone = normalizeTaiwanMobile(q);
    if (phone) or.push({ phone });
    else if (/^\d{4,10}$/.test(q.replace(/[\s-]/g, '')))
      or.push({ phone: { $regex: escapeRegex(q.replace(/[\s-]/g, '')) } });
    and.push({ $or: or });
  }
  if (f.segmentFilter) and.push(f.segmentFilter);
  if (f.rfm) and.push({ 'rfm.segment': f.rfm });
  if (f.tier) and.push({ 'tier.code': f.tier });
  if (f.tags?.length) and.push({ 'tags.tag': { $all: f.tags } });
  if (f.consent === 'marketing') and.push({ 'consent.marketing': true });
  if (f.consent === 'no-marketing') and.push({ 'consent.marketing': { $ne: true } });
  if (f.consent === 'pending' || f.consent === 'declined') and.push({ 'consent.status': f.consent });
  if (f.status) and.push({ status: f.status });
  if (f.persona === 'completed') and.push({ 'persona.completedAt': { $ne: null } });
  if (f.persona === 'incomplete') and.push({ 'persona.completedAt': null });
  return and.length === 1 ? and[0] : { $and: and };
}

const SORTS: Record<MemberSort, Record<string, 1 | -1>> = {
  recent: { createdAt: -1, _id: -1 },
  lastInteraction: { lastInteractionAt: -1, _id: -1 },
  spend: { 'stats.totalSpend': -1, _id: -1 },
  points: { pointsBalance: -1, _id: -1 },
};

export interface MemberListRow {
  id: string;
  memberCode: string;
  displayName: string;
  name?: string;
  /** `0912***678`: staff views never carry a full number (the CSV export is the documented exception). */
  phoneMasked?: string;
  pictureUrl?: string;
  status: string;
  tier: string;
  pointsBalance: number;
  tags: string[];
  marketingConsent: boolean;
  rfmSegment?: string;
  purchaseCount: number;
  totalSpend: number;
  lastInteractionAt?: Date;
  createdAt?: Date;
}

/** One page of members matching the filters, with the total count. */
export async function searchMembers(
  f: MemberSearchFilters,
  opts: { page: number; pageSize: number; sort?: MemberSort },
): Promise<{ rows: MemberListRow[]; total: number; page: number; pageSize: number }> {
  const filter = buildMemberFilter(f);
  const [docs, total] = await Promise.all([
    Member.find(filter)
      .sort(SORTS[opts.sort ?? 'recent'])
      .skip((opts.page - 1) * opts.pageSize)
      .limit(opts.pageSize)
      .lean(),
    Member.countDocuments(filter),
  ]);
  const rows = docs.map((m) => ({
    id: String(m._id),
    memberCode: m.memberCode,
    displayName: m.displayName ?? '',
    name: m.name ?? undefined,
    phoneMasked: m.phone ? maskPhone(m.phone) : undefined,
    pictureUrl: m.pictureUrl ?? undefined,
    status: m.status ?? 'active',
    tier: m.tier?.code ?? 'basic',
    pointsBalance: m.pointsBalance ?? 0,
    tags: (m.tags ?? []).map((t) => t.tag),
    marketingConsent: Boolean(m.consent?.marketing),
    rfmSegment: m.rfm?.segment ?? undefined,
    purchaseCount: m.stats?.purchaseCount ?? 0,
    totalSpend: m.stats?.totalSpend ?? 0,
    lastInteractionAt: m.lastInteractionAt ?? undefined,
    createdAt: (m as { createdAt?: Date }).createdAt,
  }));
  return { rows, total, page: opts.page, pageSize: opts.pageSize };
}

/** How a typed word and a tag are compared: full-width folded, 臺 read as 台, case and spaces ignored. */
const foldTag = (s: string) => s.normalize('NFKC').replace(/臺/g, '台').replace(/\s+/g, '').toLowerCase();

/** At most this many tags in use are searched for one word (a word in every tag would not narrow anything). */
const MAX_SEARCH_TAGS = 50;

/**
 * The filters with `qTags`: the tags in use that contain the typed word, so 美妝 finds members tagged 興趣:美妝 and
 * 臺北 finds 門市:台北. Reads the distinct tag values from the `tags.tag` index (MongoDB answers a distinct over an
 * indexed field with a DISTINCT_SCAN, one key per tag), so the cost is the size of the tag vocabulary, not the
 * number of members; the members are then found by exact tag on the same index.
 */
export async function withSearchTags(f: MemberSearchFilters): Promise<MemberSearchFilters> {
  const q = f.q?.trim();
  if (!q) return f;
  const word = foldTag(q);
  const inUse = (await Member.distinct('tags.tag', { 'tags.tag': { $gte: '' } })) as unknown[];
  const qTags = inUse
    .filter((t): t is string => typeof t === 'string' && foldTag(t).includes(word))
    .slice(0, MAX_SEARCH_TAGS);
  return { ...f, qTags };
}

/** Distinct tags in use with how many members carry each (for filters and tag pickers). */
export async function listTagCounts(limit = 200): Promise<Array<{ tag: string; count: number }>> {
  const rows = await Member.aggregate<{ _id: string; count: number }>([
    { $match: { erasedAt: null, mergedInto: null } },
    { $unwind: '$tags' },
    { $group: { _id: '$tags.tag', count: { $sum: 1 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: limit },
  ]);
  return rows.map((r) => ({ tag: r._id, count: r.count }));
}
