import type { Types } from 'mongoose';
import { CouponTemplate } from '../../models/coupon-template.model';
import { StampCard, type StampCardDoc } from '../../models/stamp-card.model';
import { StampCardTemplate, type StampCardTemplateDoc, type StampReward } from '../../models/stamp-card-template.model';
import { stampRewardLabel } from '../../shared/vocabulary';

/** A completed card stays on show this long (with its reward), then the template's fresh card takes its place. */
const COMPLETED_SHOWN_MS = 30 * 86_400_000;

export interface StampCardView {
  /** null: the member has no card of this template yet (the card invites them with an empty one). */
  id: string | null;
  templateId: string;
  name: string;
  stampsNeeded: number;
  stamps: number;
  status: 'active' | 'completed' | 'not_started';
  expiresAt: string | null;
  /** Days from the first stamp the card lasts (shown before the first stamp fixes `expiresAt`). */
  validityDays: number | null;
  /** Rewards along the way and at completion, by stamp count, with whether this card has received each. */
  rewards: Array<{ at: number; label: string; given: boolean; completion: boolean }>;
}

/**
 * The member's stamp cards as the card and the chat show them: one per active template — the card being filled,
 * else a card completed in the last 30 days, else an empty card that invites the first stamp. Reads the active
 * templates (a handful) and the member's cards of them (index memberId_templateId_seq).
 */
export async function listMemberStampCards(memberId: Types.ObjectId | string, now: Date): Promise<StampCardView[]> {
  const templates = (await StampCardTemplate.find({ status: 'active' })
    .sort({ createdAt: 1 })
    .lean()) as unknown as StampCardTemplateDoc[];
  if (!templates.length) return [];
  const cards = (await StampCard.find({ memberId, templateId: { $in: templates.map((t) => t._id) } })
    .sort({ seq: -1 })
    .lean()) as unknown as StampCardDoc[];
  const titles = await couponTitles(templates);
  return templates.map((t) => {
    const mine = cards.filter((c) => String(c.templateId) === String(t._id));
    const card =
      mine.find((c) => c.status === 'active') ??
      mine.find(
        (c) => c.status === 'completed' && now.getTime() - (c.completedAt?.getTime() ?? 0) < COMPLETED_SHOWN_MS,
      );
    return present(t, card ?? null, titles);
  });
}

function present(t: StampCardTemplateDoc, card: StampCardDoc | null, titles: Map<string, string>): StampCardView {
  const needed = card?.stampsNeeded ?? t.stampsNeeded;
  const given = (at: number) => Boolean(card?.rewards.some((r) => r.at === at && !r.reversal));
  const rewards = t.milestones
    .filter((m) => m.at > 0 && m.at < needed && m.reward)
    .map((m) => ({ at: m.at, label: label(m.reward!, titles), given: given(m.at), completion: false }))
    .sort((a, b) => a.at - b.at);
  if (t.completionReward)
    rewards.push({ at: needed, label: label(t.completionReward, titles), given: given(needed), completion: true });
  return {
    id: card ? String(card._id) : null,
    templateId: String(t._id),
    name: card?.name ?? t.name,
    stampsNeeded: needed,
    stamps: card?.stamps ?? 0,
    status: card ? (card.status === 'completed' ? 'completed' : 'active') : 'not_started',
    expiresAt: card?.expiresAt ? card.expiresAt.toISOString() : null,
    validityDays: t.validity?.mode === 'days_from_first_stamp' ? (t.validity.days ?? null) : null,
    rewards,
  };
}

function label(r: StampReward, titles: Map<string, string>): string {
  if (r.kind === 'points') return stampRewardLabel({ kind: 'points', points: r.points ?? 0 });
  return stampRewardLabel({ kind: 'coupon', title: titles.get(String(r.couponTemplateId)) });
}

async function couponTitles(templates: StampCardTemplateDoc[]): Promise<Map<string, string>> {
  const ids = templates
    .flatMap((t) => [t.completionReward, ...t.milestones.map((m) => m.reward)])
    .filter((r) => r?.kind === 'coupon' && r.couponTemplateId)
    .map((r) => r!.couponTemplateId!);
  if (!ids.length) return new Map();
  const rows = await CouponTemplate.find({ _id: { $in: ids } }, { title: 1 }).lean();
  return new Map(rows.map((r) => [String(r._id), r.title]));
}
