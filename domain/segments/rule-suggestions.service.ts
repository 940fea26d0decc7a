import { Campaign } from '../../models/campaign.model';
import { Journey } from '../../models/journey.model';
import { Purchase } from '../../models/purchase.model';
import { getProgramSettings } from '../program/settings.service';

/** How many of the latest purchases the product suggestions are read from (bounded: the `at` index, newest first). */
const RECENT_PURCHASES = 5000;
const MAX_PRODUCTS = 300;

export interface RuleSuggestions {
  /** Product categories sold recently, most sold first. */
  categories: string[];
  /** SKUs sold recently with the name they were sold under, most sold first. */
  products: Array<{ sku: string; name: string; category: string | null }>;
  /** The brand's stores (settings), then store ids seen on recent purchases that the settings do not name. */
  stores: Array<{ id: string; name: string }>;
  campaigns: Array<{ id: string; name: string }>;
  /** Journeys (not archived) with the steps that send something: what a "received" condition can target. */
  journeys: Array<{ id: string; name: string; steps: Array<{ id: string; type: string }> }>;
}

/**
 * The values the segment editor suggests for purchase and message conditions, read from the data: what sold in the
 * latest purchases (so the marketer picks 保養 as the POS spells it), the stores, campaigns and journey steps.
 * Bounded reads only, whatever the number of members or purchases.
 */
export async function listRuleSuggestions(): Promise<RuleSuggestions> {
  const [recent, settings, campaigns, journeys] = await Promise.all([
    Purchase.find({}, { items: 1, storeId: 1, _id: 0 }).sort({ at: -1 }).limit(RECENT_PURCHASES).lean(),
    getProgramSettings(),
    Campaign.find({}, { name: 1 }).sort({ createdAt: -1 }).limit(200).lean(),
    Journey.find({ status: { $ne: 'archived' } }, { name: 1, steps: 1 })
      .limit(200)
      .lean(),
  ]);
  const cats = new Map<string, number>();
  const skus = new Map<string, { name: string; category: string | null; n: number }>();
  const storeIds = new Set<string>();
  for (const p of recent) {
    if (p.storeId) storeIds.add(p.storeId);
    for (const item of p.items ?? []) {
      const category = item.category?.trim() || null;
      if (category) cats.set(category, (cats.get(category) ?? 0) + 1);
      const sku = item.sku?.trim();
      if (!sku) continue;
      const cur = skus.get(sku);
      if (cur) cur.n += 1;
      else skus.set(sku, { name: item.name, category, n: 1 });
    }
  }
  const byCount = <T>(m: Map<string, T>, n: (v: T) => number) =>
    [...m.entries()].sort((a, b) => n(b[1]) - n(a[1]) || (a[0] < b[0] ? -1 : 1));
  const named = settings.brand.stores.map((s) => ({ id: s.id, name: s.name }));
  const known = new Set(named.map((s) => s.id));
  return {
    categories: byCount(cats, (v) => v).map(([c]) => c),
    products: byCount(skus, (v) => v.n)
      .slice(0, MAX_PRODUCTS)
      .map(([sku, v]) => ({ sku, name: v.name, category: v.category })),
    stores: [
      ...named,
      ...[...storeIds]
        .filter((id) => !known.has(id))
        .sort()
        .map((id) => ({ id, name: id })),
    ],
    campaigns: campaigns.map((c) => ({ id: String(c._id), name: c.name })),
    journeys: journeys.map((j) => ({
      id: String(j._id),
      name: j.name,
      steps: ((j.steps ?? []) as Array<{ id?: string; type?: string }>)
        .filter((s) => s.id && (s.type === 'message' || s.type === 'coupon'))
        .map((s) => ({ id: s.id!, type: s.type! })),
    })),
  };
}
