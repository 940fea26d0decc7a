import type { Types } from 'mongoose';
import { ConsoleUser } from '../../models/console-user.model';
import { Member } from '../../models/member.model';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../shared/format';
import { COUPON_STATUS_LABELS, pointReasonLabel, ROLE_LABELS } from '../../shared/vocabulary';
import { getProgramSettings } from '../program/settings.service';
import { GENDER_LABELS } from '../segments/rule-describe';
import { recordInteraction } from '../interactions/interaction.service';
import { AppError, notFound } from '../shared/errors';
import { type DataLink, signDataLink, verifyDataLink } from './member-data-link';
import { memberLinkedModels } from './member-linked-models';

/**
 * "Download my data": everything stored about one member, twice — as JSON for machines (every collection that
 * references the member, discovered by its `memberId` path) and as a document for the member to read (zh-TW labels,
 * Taipei times, the points history, coupons, purchases and consents). Staff appear in both only by their role: the
 * member is owed what was done with their data, not who on the staff did it.
 */

/** Internal bookkeeping that means nothing to the member (and the idempotency keys could be long). */
const MEMBER_INTERNAL_FIELDS = ['pointKeys', 'statsKeys', 'persona.state', '__v'];
/** Fields that name who did something: a console user id, username or display name, or `system`. */
const ACTOR_KEYS = new Set([
  'actor',
  'actorId',
  'issuedBy',
  'redeemedBy',
  'recordedBy',
  'by',
  'authorId',
  'addedBy',
  'createdBy',
  'updatedBy',
  'cancelledBy',
]);
/** Of those, the ones that only ever hold a person (an unknown value there is a former staff member). */
const PERSON_KEYS = new Set(['redeemedBy', 'by', 'authorId', 'addedBy']);
const DROPPED_KEYS = new Set(['authorName', 'actorName']);
const SYSTEM_LABEL = '系統';
const STAFF_LABEL = '工作人員';
/** The readable document lists at most this many rows per section; the JSON beside it has them all. */
const DOCUMENT_ROWS = 500;

export interface MemberDataExport {
  exportedAt: string;
  member: Record<string, unknown>;
  /** Every collection that references the member, by model name (points ledger, coupons, purchases, …). */
  records: Record<string, unknown[]>;
}

export interface DataSection {
  title: string;
  fields?: Array<{ label: string; value: string }>;
  table?: { columns: string[]; rows: string[][] };
  /** Shown under the section (e.g. "only the latest 500 rows here"). */
  note?: string;
}

/** The export as a person reads it; rendered to HTML by the member API. */
export interface MemberDataDocument {
  title: string;
  exportedAt: string;
  intro: string;
  sections: DataSection[];
}

const linkInvalid = () => new AppError('data_link_invalid', 403, '這個下載連結已過期或無效，請回到會員卡重新下載。');

/** The card asks for its member's export: a link good for a few minutes (see member-data-link.ts). */
export async function createMemberDataLink(
  memberId: Types.ObjectId | string,
  now: Date,
  key: Buffer,
): Promise<DataLink> {
  const link = signDataLink(String(memberId), now, key);
  await recordInteraction({ memberId, type: 'event', channel: 'liff', summary: '會員下載了個人資料', at: now });
  return link;
}

/** The export a link opens; `data_link_invalid` (403) for a forged or expired link, or a member erased since. */
export async function exportMemberDataByLink(token: unknown, now: Date, key: Buffer): Promise<MemberDataExport> {
  const memberId = verifyDataLink(token, now, key);
  if (!memberId || !(await Member.exists({ _id: memberId, erasedAt: null }))) throw linkInvalid();
  return exportMemberData(memberId, now);
}

/** Everything stored about the member, as plain JSON, staff shown by role. */
export async function exportMemberData(memberId: Types.ObjectId | string, now: Date): Promise<MemberDataExport> {
  const member = await Member.findById(memberId).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  const plain = JSON.parse(JSON.stringify(member)) as Record<string, unknown>;
  for (const path of MEMBER_INTERNAL_FIELDS) deletePath(plain, path);
  const records: Record<string, unknown[]> = {};
  for (const model of memberLinkedModels()) {
    const docs = await model.find({ memberId: member._id }).sort({ _id: 1 }).limit(10_000).lean();
    if (docs.length) records[model.modelName] = JSON.parse(JSON.stringify(docs)) as unknown[];
  }
  const staff = await staffIndex();
  return {
    exportedAt: now.toISOString(),
    member: replaceStaff(plain, staff) as Record<string, unknown>,
    records: replaceStaff(records, staff) as Record<string, unknown[]>,
  };
}

/** Who is staff: every console user by id, username and display name, mapped to the label of their role. */
async function staffIndex(): Promise<{ byValue: Map<string, string>; names: Array<[string, string]> }> {
  const users = await ConsoleUser.find({}, { username: 1, displayName: 1, role: 1 }).lean();
  const byValue = new Map<string, string>();
  const names: Array<[string, string]> = [];
  for (const u of users) {
    const label = ROLE_LABELS[u.role] ?? STAFF_LABEL;
    for (const v of [String(u._id), u.username, u.displayName]) if (v) byValue.set(v, label);
    if (u.displayName && u.displayName.length >= 2) names.push([u.displayName, label]);
  }
  return { byValue, names: names.sort((a, b) => b[0].length - a[0].length) };
}

/** A copy in which actor fields hold a role and staff names inside free text (timeline summaries) read as roles. */
function replaceStaff(value: unknown, staff: Awaited<ReturnType<typeof staffIndex>>, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceStaff(v, staff, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED_KEYS.has(k)) out[k] = replaceStaff(v, staff, k);
    return out;
  }
  if (typeof value !== 'string') return value;
  if (ACTOR_KEYS.has(key)) {
    if (value === 'system') return SYSTEM_LABEL;
    const role = staff.byValue.get(value);
    if (role) return role;
    if (PERSON_KEYS.has(key) || /^[0-9a-f]{24}$/i.test(value)) return STAFF_LABEL;
    return value;
  }
  let text = value;
  for (const [name, role] of staff.names) if (text.includes(name)) text = text.split(name).join(role);
  return text;
}

/** The parts of the exported JSON the document reads (dates are ISO strings there). */
interface MemberJson {
  memberCode?: string;
  displayName?: string;
  name?: string;
  phone?: string;
  /** A phone waiting for the staff's merge decision (#16.6): the member's own data all the same. */
  phoneClaim?: { phone?: string };
  email?: string;
  gender?: string;
  birthday?: string;
  city?: string;
  tier?: { code?: string };
  pointsBalance?: number;
  stats?: { totalSpend?: number; purchaseCount?: number };
  followedAt?: string;
  createdAt?: string;
  tags?: Array<{ tag: string }>;
  consent?: { status?: string; version?: string; at?: string; marketing?: boolean };
}
interface EntryJson {
  at?: string;
  reason?: string;
  delta: number;
  balanceAfter?: number;
  expiresAt?: string;
  note?: string;
}
interface CouponJson {
  title?: string;
  status?: string;
  issuedAt?: string;
  validFrom?: string;
  validUntil?: string;
  usedAt?: string;
}
interface PurchaseJson {
  at?: string;
  orderId?: string;
  amount?: number;
  storeId?: string;
  status?: string;
  pointsEarned?: number;
}
interface InteractionJson {
  at?: string;
  summary?: string;
  type?: string;
}

/** The readable document of an export: labels, Taipei times, amounts in NT$, statuses in words. */
export async function buildMemberDataDocument(data: MemberDataExport, timeZone: string): Promise<MemberDataDocument> {
  const m = data.member as MemberJson;
  const settings = await getProgramSettings();
  const tier = settings.tiers.find((t) => t.code === m.tier?.code)?.label ?? m.tier?.code ?? '';
  const when = (iso: unknown) => (typeof iso === 'string' && iso ? formatDateTime(new Date(iso), timeZone) : '—');
  const day = (iso: unknown) => (typeof iso === 'string' && iso ? formatDate(new Date(iso), timeZone) : '—');
  const rows = <T>(name: string) => (data.records[name] ?? []) as T[];
  const sections: DataSection[] = [
    {
      title: '基本資料',
      fields: (
        [
          ['會員編號', m.memberCode],
          ['LINE 顯示名稱', m.displayName],
          ['姓名', m.name],
          ['手機', m.phone ?? m.phoneClaim?.phone],
          ['電子郵件', m.email],
          ['性別', m.gender ? (GENDER_LABELS[m.gender] ?? m.gender) : ''],
          ['生日', m.birthday?.replace(/-/g, '/')],
          ['居住城市', m.city],
          ['會員等級', tier],
          ['點數餘額', `${formatNumber(m.pointsBalance ?? 0)} 點`],
          ['累計消費', `${formatMoney(m.stats?.totalSpend ?? 0)}（${m.stats?.purchaseCount ?? 0} 筆）`],
          ['加入好友', when(m.followedAt)],
          ['成為會員', when(m.createdAt)],
          ['標籤', (m.tags ?? []).map((t) => t.tag).join('、')],
        ] as Array<[string, string | undefined]>
      ).map(([label, value]) => ({ label, value: value || '—' })),
    },
    {
      title: '同意紀錄',
      fields: [
        {
          label: '個人資料使用告知',
          value:
            ({ accepted: '已同意', declined: '不同意', pending: '尚未回覆' } as Record<string, string>)[
              m.consent?.status ?? 'pending'
            ] ?? '尚未回覆',
        },
        { label: '同意的版本', value: m.consent?.version ?? '—' },
        { label: '回覆時間', value: when(m.consent?.at) },
        { label: '接收行銷訊息', value: m.consent?.marketing ? '願意接收' : '不接收' },
      ],
    },
    table(
      '點數紀錄',
      ['時間', '項目', '點數', '餘額', '到期日', '說明'],
      rows<EntryJson>('PointsEntry').map((e) => [
        when(e.at),
        pointReasonLabel(e.reason ?? ''),
        signed(e.delta),
        e.balanceAfter === undefined ? '—' : formatNumber(e.balanceAfter),
        day(e.expiresAt),
        e.note ?? '',
      ]),
      '目前沒有點數紀錄。',
    ),
    table(
      '優惠券',
      ['名稱', '狀態', '取得時間', '有效期間', '使用時間'],
      rows<CouponJson>('Coupon').map((c) => [
        c.title,
        couponState(c, data.exportedAt),
        when(c.issuedAt),
        `${day(c.validFrom)}–${day(c.validUntil)}`,
        when(c.usedAt),
      ]),
      '目前沒有優惠券。',
    ),
    table(
      '消費紀錄',
      ['時間', '訂單編號', '金額', '門市', '狀態', '獲得點數'],
      rows<PurchaseJson>('Purchase').map((p) => [
        when(p.at),
        p.orderId,
        formatMoney(p.amount ?? 0),
        p.storeId ?? '—',
        ({ completed: '已完成', partially_refunded: '部分退款', refunded: '已退款' } as Record<string, string>)[
          p.status ?? ''
        ] ?? p.status,
        formatNumber(p.pointsEarned ?? 0),
      ]),
      '目前沒有消費紀錄。',
    ),
    table(
      '互動紀錄',
      ['時間', '內容'],
      rows<InteractionJson>('Interaction')
        .slice()
        .reverse()
        .map((i) => [when(i.at), i.summary || i.type]),
      '目前沒有互動紀錄。',
    ),
  ];
  const others = Object.entries(data.records).filter(
    ([name]) => !['PointsEntry', 'Coupon', 'Purchase', 'Interaction'].includes(name),
  );
  if (others.length)
    sections.push({
      title: '其他資料',
      fields: others.map(([name, list]) => ({
        label: OTHER_LABELS[name] ?? name,
        value: `${list.length} 筆（內容見 JSON 檔）`,
      })),
    });
  return {
    title: '我的會員資料',
    exportedAt: formatDateTime(new Date(data.exportedAt), timeZone),
    intro: `這是我們為您保存的所有資料，時間皆為台灣時間。工作人員只以職務（${Object.values(ROLE_LABELS).join('、')}）表示。`,
    sections,
  };
}

const OTHER_LABELS: Record<string, string> = {
  SurveyResponse: '滿意度問卷',
  Delivery: '收到的推播訊息',
  MemberNote: '服務備註',
};

function table(title: string, columns: string[], all: unknown[][], empty: string): DataSection {
  const rows = all
    .slice(0, DOCUMENT_ROWS)
    .map((r) => r.map((v) => (v === undefined || v === null || v === '' ? '—' : String(v))));
  if (!rows.length) return { title, note: empty };
  return {
    title,
    table: { columns, rows },
    ...(all.length > DOCUMENT_ROWS
      ? { note: `這裡列出前 ${DOCUMENT_ROWS} 筆，共 ${all.length} 筆；完整內容見 JSON 檔。` }
      : {}),
  };
}

const signed = (n: number) => `${n > 0 ? '+' : ''}${formatNumber(n)}`;

function couponState(c: CouponJson, exportedAt: string): string {
  const state = c.status === 'active' && c.validUntil && c.validUntil < exportedAt ? 'expired' : (c.status ?? 'active');
  return COUPON_STATUS_LABELS[state] ?? state;
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[parts[parts.length - 1]];
}
