import { maskPhone } from '../shared/phone';
import { Member } from '../../models/member.model';
import { listWallet, type Wallet } from '../coupons';
import { getReferralSummary, type ReferralSummary } from '../referrals/referral.service';
import type { TierStatus } from '../tiers/tier.service';
import { getPersonaScript } from '../persona/persona-script.service';
import type { PersonaScript } from '../persona/persona-script.schema';
import type { ProgramContext } from '../shared/context';
import { notFound } from '../shared/errors';
import { getMemberSummary } from './member-summary';
import { listMemberNotes, type MemberNoteView } from './member-note.service';
import { isObjectId } from '../../shared/ids';

/** Everything the console's member page shows at once (the timeline and the ledger are paged separately). */
export interface MemberDetail {
  id: string;
  memberCode: string;
  lineUserId?: string;
  displayName: string;
  pictureUrl?: string;
  status: string;
  /** Static data: who they are. */
  /** `preferences` are shown in words: each stored value is replaced by its option's label in the persona script. */
  profile: {
    name?: string;
    /** `0912***678`: staff never see a full number. */
    phoneMasked?: string;
    email?: string;
    gender?: string;
    birthday?: string;
    city?: string;
    preferences: Record<string, string>;
  };
  /**
   * A phone this LINE member gave that an imported record has (「可能是同一人」, member-phone.service.ts): masked,
   * with the imported record staff may merge; absent when there is none.
   */
  phoneProposal?: { status: 'proposed' | 'dismissed'; phoneMasked: string; importedId: string };
  consent: { status: string; marketing: boolean; at?: Date; version?: string };
  persona: { startedAt?: Date; completedAt?: Date };
  /** The one "profile complete" (domain/members/profile-complete.ts), as the card and segments read it. */
  profileComplete: boolean;
  /** Dynamic data: what they do. */
  stats: {
    purchaseCount: number;
    totalSpend: number;
    averageOrder: number;
    firstPurchaseAt?: Date;
    lastPurchaseAt?: Date;
  };
  rfm?: { r?: number; f?: number; m?: number; segment?: string; rule?: string; scoredAt?: Date };
  satisfaction?: { lastScore?: number; lastComment?: string; at?: Date };
  points: { balance: number; soonestExpiring: { points: number; expiresAt: Date } | null };
  tier: TierStatus;
  referral: ReferralSummary;
  tags: Array<{ tag: string; source: string; addedAt: Date; addedBy?: string }>;
  wallet: Wallet;
  notes: MemberNoteView[];
  followedAt?: Date;
  blockedAt?: Date;
  lastInteractionAt?: Date;
  createdAt?: Date;
}

/** The member page: profile, consent, stats, points, tier, tags with their source, coupons and notes. */
export async function getMemberDetail(id: string, ctx: Pick<ProgramContext, 'now' | 'links'>): Promise<MemberDetail> {
  const { now } = ctx;
  const m = isObjectId(id) ? await Member.findOne({ _id: id, erasedAt: null }).lean() : null;
  if (!m) throw notFound('找不到這位會員。', 'member_not_found');
  const [summary, wallet, notes, referral, script] = await Promise.all([
    getMemberSummary(m, now),
    listWallet(m._id, now),
    listMemberNotes(id),
    getReferralSummary(m._id, ctx),
    getPersonaScript(),
  ]);
  const { soonestExpiring, tier, profileComplete } = summary;
  const prefs = Object.fromEntries(
    Object.entries(m.preferences ?? {})
      .filter(([, v]) => typeof v === 'string' && v)
      .map(([key, v]) => [key, preferenceLabel(script, key, v as string)]),
  ) as Record<string, string>;
  return {
    id: String(m._id),
    memberCode: m.memberCode,
    lineUserId: m.lineUserId ?? undefined,
    displayName: m.displayName ?? '',
    pictureUrl: m.pictureUrl ?? undefined,
    status: m.status ?? 'active',
    profile: {
      name: m.name ?? undefined,
      phoneMasked: m.phone ? maskPhone(m.phone) : undefined,
      email: m.email ?? undefined,
      gender: m.gender ?? undefined,
      birthday: m.birthday ?? undefined,
      city: m.city ?? undefined,
      preferences: prefs,
    },
    ...(m.phoneClaim?.phone && m.phoneClaim.status && m.phoneClaim.importedId
      ? {
          phoneProposal: {
            status: m.phoneClaim.status,
            phoneMasked: maskPhone(m.phoneClaim.phone),
            importedId: String(m.phoneClaim.importedId),
          },
        }
      : {}),
    consent: {
      status: m.consent?.status ?? 'pending',
      marketing: Boolean(m.consent?.marketing),
      at: m.consent?.at ?? undefined,
      version: m.consent?.version ?? undefined,
    },
    persona: { startedAt: m.persona?.startedAt ?? undefined, completedAt: m.persona?.completedAt ?? undefined },
    profileComplete,
    stats: {
      purchaseCount: m.stats?.purchaseCount ?? 0,
      totalSpend: m.stats?.totalSpend ?? 0,
      averageOrder: m.stats?.averageOrder ?? 0,
      firstPurchaseAt: m.stats?.firstPurchaseAt ?? undefined,
      lastPurchaseAt: m.stats?.lastPurchaseAt ?? undefined,
    },
    rfm: m.rfm?.segment
      ? {
          r: m.rfm.r ?? undefined,
          f: m.rfm.f ?? undefined,
          m: m.rfm.m ?? undefined,
          segment: m.rfm.segment,
          rule: m.rfm.rule ?? undefined,
          scoredAt: m.rfm.scoredAt ?? undefined,
        }
      : undefined,
    satisfaction: m.satisfaction?.at
      ? {
          lastScore: m.satisfaction.lastScore ?? undefined,
          lastComment: m.satisfaction.lastComment ?? undefined,
          at: m.satisfaction.at,
        }
      : undefined,
    points: { balance: summary.pointsBalance, soonestExpiring },
    tier,
    referral,
    tags: (m.tags ?? []).map((t) => ({
      tag: t.tag,
      source: t.source,
      addedAt: t.addedAt,
      addedBy: t.addedBy ?? undefined,
    })),
    wallet,
    notes,
    followedAt: m.followedAt ?? undefined,
    blockedAt: m.blockedAt ?? undefined,
    lastInteractionAt: m.lastInteractionAt ?? undefined,
    createdAt: (m as { createdAt?: Date }).createdAt,
  };
}

/** The label a member saw for a stored preference value ("free_shipping" → "免運"); the value itself when no option has it. */
function preferenceLabel(script: PersonaScript, key: string, value: string): string {
  for (const q of script.questions) {
    if (q.type !== 'single' || q.field !== `preferences.${key}`) continue;
    const option = q.options.find((o) => (o.value ?? o.label) === value);
    if (option) return option.label;
  }
  return value;
}
