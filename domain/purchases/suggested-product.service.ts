import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { ProductAffinity } from '../../models/product-affinity.model';
import { type AffinityRelated, pickSuggestion, type Suggestion, topCategory } from './affinity';
import { affinityId, getAffinityMeta } from './affinity.service';

export interface SuggestedProduct {
  suggestion: Suggestion;
  /** The product's name as purchases name it; null when the rule found nothing. */
  name: string | null;
}

interface MemberBuys {
  skus?: Array<{ s: string }>;
  cats?: Array<{ c: string; n?: number | null; last?: Date | null }>;
}

interface CachedDoc {
  name?: string | null;
  related?: AffinityRelated[] | null;
  topSkus?: Array<{ key: string; name?: string | null }> | null;
}

/**
 * A member's suggested next product (#17.2; the rule: domain/purchases/affinity.ts `pickSuggestion`), resolved at
 * send time from the member's aggregates and the materialised affinity. One suggester per send: the affinity
 * documents it reads (by `_id`, a member's SKUs and top category) are kept for the next members of that send, so
 * a campaign reads each SKU's document once, and every member costs one read of their own aggregates.
 */
export function createProductSuggester(): (memberId: Types.ObjectId | string | null) => Promise<SuggestedProduct> {
  const docs = new Map<string, CachedDoc | null>();
  let meta: ReturnType<typeof getAffinityMeta> | null = null;
  const load = async (ids: string[]) => {
    const missing = ids.filter((id) => !docs.has(id));
    if (missing.length) {
      const found = await ProductAffinity.find({ _id: { $in: missing } }, { name: 1, related: 1, topSkus: 1 }).lean();
      for (const id of missing) docs.set(id, null);
      for (const d of found) docs.set(String(d._id), d as CachedDoc);
    }
  };
  return async (memberId) => {
    if (!memberId) return { suggestion: { kind: 'none' }, name: null };
    meta ??= getAffinityMeta();
    const m = await Member.findById(memberId, { 'buys.skus.s': 1, 'buys.cats': 1 }).lean<{ buys?: MemberBuys }>();
    const skus = (m?.buys?.skus ?? []).map((s) => s.s);
    const cats = (m?.buys?.cats ?? []).map((c) => ({ c: c.c, n: c.n ?? 0, last: c.last ?? new Date(0) }));
    const top = topCategory(cats);
    await load([...skus.map((s) => affinityId('sku', s)), ...(top ? [affinityId('category', top.c)] : [])]);
    const rule = await meta;
    const suggestion = pickSuggestion(
      { skus, cats },
      (sku) => docs.get(affinityId('sku', sku))?.related ?? undefined,
      (c) => docs.get(affinityId('category', c))?.topSkus?.map((s) => s.key),
      rule,
    );
    return { suggestion, name: nameOf(suggestion, docs) };
  };
}

function nameOf(s: Suggestion, docs: Map<string, CachedDoc | null>): string | null {
  if (s.kind === 'affinity') {
    const r = docs.get(affinityId('sku', s.because))?.related?.find((x) => x.key === s.key) as
      (AffinityRelated & { name?: string }) | undefined;
    return r?.name ?? s.key;
  }
  if (s.kind === 'top_category')
    return docs.get(affinityId('category', s.category))?.topSkus?.find((x) => x.key === s.key)?.name ?? s.key;
  return null;
}

/** One member's suggestion (the console's member view and tests); a send uses `createProductSuggester`. */
export async function suggestProduct(memberId: Types.ObjectId | string): Promise<SuggestedProduct> {
  return createProductSuggester()(memberId);
}
