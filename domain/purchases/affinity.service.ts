import { randomBytes } from 'node:crypto';
import { Member } from '../../models/member.model';
import { ProductAffinity } from '../../models/product-affinity.model';
import { Purchase } from '../../models/purchase.model';
import { runPool } from '../campaigns/send-pacer';
import { notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { type AffinityItem, type AffinityRule, CoBuyCounter, DEFAULT_AFFINITY_RULE } from './affinity';

const log = moduleLogger('affinity');

/** Best-selling SKUs kept per category (the suggestion's fallback). */
const TOP_SKUS = 20;
const META_ID = 'meta';
export const affinityId = (kind: 'category' | 'sku', key: string) => `${kind}:${key}`;

export interface AffinityRebuildResult {
  members: number;
  categories: number;
  skus: number;
  ms: number;
  build: string;
}

/**
 * `npm run affinity:rebuild` and the nightly `affinity` job: reads every buying member's aggregates once
 * (`erasedAt: null, buys.orders > 0`, index `erasedAt_1_buys.orders_1`; categories and SKUs only), counts buyers and co-buyers in memory
 * (domain/purchases/affinity.ts), names each SKU from its latest purchase (index `items.sku_1_at_-1`, one read per
 * SKU), then replaces the materialised result: every document is written with this build's id, and documents of
 * items no longer bought (another build id) are removed last. Running it twice on the same purchases gives the same
 * documents; until it finishes, readers see the previous build.
 */
export async function rebuildAffinity(
  opts: { rule?: Partial<AffinityRule>; now?: Date } = {},
): Promise<AffinityRebuildResult> {
  const started = Date.now();
  const rule: AffinityRule = { ...DEFAULT_AFFINITY_RULE, ...opts.rule };
  const cats = new CoBuyCounter();
  const skus = new CoBuyCounter();
  // Bounded by `erasedAt_1_buys.orders_1` (equality on erasedAt, then the range; erased members are left out). A
  // `mergedInto: null` predicate could make a planner pick a member-list index, which matches nearly every member:
  // a merged member's aggregates are skipped here instead.
  const cursor = Member.find(
    { erasedAt: null, 'buys.orders': { $gt: 0 } },
    { 'buys.cats.c': 1, 'buys.skus.s': 1, mergedInto: 1 },
  )
    .lean<Array<{ mergedInto?: unknown; buys?: { cats?: Array<{ c: string }>; skus?: Array<{ s: string }> } }>>()
    .cursor({ batchSize: 2000 });
  for await (const m of cursor) {
    if (m.mergedInto) continue;
    cats.addMember((m.buys?.cats ?? []).map((c) => c.c));
    skus.addMember((m.buys?.skus ?? []).map((s) => s.s));
  }
  const members = skus.members;
  const catItems = cats.items(rule.minSupport, members);
  const skuItems = skus.items(rule.minSupport, members);
  const names = await nameSkus(skuItems.map((s) => s.key));
  const build = `${new Date(started).toISOString()}-${randomBytes(3).toString('hex')}`;
  await writeDocs([
    ...catItems.map((c) => categoryDoc(c, skuItems, names, build)),
    ...skuItems.map((s) => skuDoc(s, names, build)),
  ]);
  await ProductAffinity.deleteMany({ build: { $ne: build }, kind: { $ne: 'meta' } });
  const ms = Date.now() - started;
  await ProductAffinity.replaceOne(
    { _id: META_ID },
    { kind: 'meta', members, ...rule, ms, builtAt: opts.now ?? new Date(), build },
    { upsert: true },
  );
  log.info({ members, categories: catItems.length, skus: skuItems.length, ms }, 'product affinity rebuilt');
  return { members, categories: catItems.length, skus: skuItems.length, ms, build };
}

interface SkuInfo {
  name?: string;
  category?: string;
}

async function nameSkus(keys: string[]): Promise<Map<string, SkuInfo>> {
  const out = new Map<string, SkuInfo>();
  await runPool(keys, 8, async (sku) => {
    const p = await Purchase.findOne({ 'items.sku': sku }, { items: 1 }).sort({ at: -1 }).lean();
    const item = p?.items?.find((i) => i.sku === sku);
    out.set(sku, { name: item?.name?.trim() || undefined, category: item?.category?.trim() || undefined });
  });
  return out;
}

function categoryDoc(c: AffinityItem, skus: AffinityItem[], names: Map<string, SkuInfo>, build: string) {
  const topSkus = skus
    .filter((s) => names.get(s.key)?.category === c.key)
    .slice(0, TOP_SKUS)
    .map((s) => ({ key: s.key, name: names.get(s.key)?.name ?? s.key, buyers: s.buyers }));
  const related = c.related.map((r) => ({ ...r, name: r.key }));
  return {
    _id: affinityId('category', c.key),
    kind: 'category',
    key: c.key,
    name: c.key,
    buyers: c.buyers,
    related,
    topSkus,
    build,
  };
}

function skuDoc(s: AffinityItem, names: Map<string, SkuInfo>, build: string) {
  const info = names.get(s.key) ?? {};
  const related = s.related.map((r) => ({ ...r, name: names.get(r.key)?.name ?? r.key }));
  return {
    _id: affinityId('sku', s.key),
    kind: 'sku',
    key: s.key,
    name: info.name ?? s.key,
    ...(info.category ? { category: info.category } : {}),
    buyers: s.buyers,
    related,
    build,
  };
}

async function writeDocs(docs: Array<{ _id: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const ops = docs
      .slice(i, i + 500)
      .map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } }));
    await ProductAffinity.bulkWrite(ops as never, { ordered: false });
  }
}

export interface AffinityMeta {
  members: number;
  minSupport: number;
  minLift: number;
  ms: number;
  builtAt: string | null;
}

/** The last build's figures and thresholds (the defaults and nothing built yet: `builtAt` null). */
export async function getAffinityMeta(): Promise<AffinityMeta> {
  const m = await ProductAffinity.findById(META_ID).lean();
  return {
    members: m?.members ?? 0,
    minSupport: m?.minSupport ?? DEFAULT_AFFINITY_RULE.minSupport,
    minLift: m?.minLift ?? DEFAULT_AFFINITY_RULE.minLift,
    ms: m?.ms ?? 0,
    builtAt: m?.builtAt ? new Date(m.builtAt).toISOString() : null,
  };
}

export interface AffinityListItem {
  kind: 'category' | 'sku';
  key: string;
  name: string;
  category: string | null;
  buyers: number;
}

/** What the console can pick: categories and SKUs, most buyers first (index `kind_1_buyers_-1`). */
export async function listAffinityItems(
  limit = 500,
): Promise<{ categories: AffinityListItem[]; skus: AffinityListItem[] }> {
  const read = async (kind: 'category' | 'sku') =>
    (
      await ProductAffinity.find({ kind }, { kind: 1, key: 1, name: 1, category: 1, buyers: 1 })
        .sort({ buyers: -1 })
        .limit(limit)
        .lean()
    ).map((d) => ({
      kind,
      key: d.key ?? '',
      name: d.name ?? d.key ?? '',
      category: d.category ?? null,
      buyers: d.buyers,
    }));
  const [categories, skus] = await Promise.all([read('category'), read('sku')]);
  return { categories, skus };
}

export interface AffinityDetail extends AffinityListItem {
  /** P(A): buyers ÷ buying members. */
  share: number;
  related: Array<{ key: string; name: string; coBuyers: number; confidence: number; lift: number }>;
  topSkus: Array<{ key: string; name: string; buyers: number }>;
  meta: AffinityMeta;
}

/** One category's or SKU's buyers and what else they bought; an item nobody bought (or unknown) → 404 in zh-TW. */
export async function getItemAffinity(kind: 'category' | 'sku', key: string): Promise<AffinityDetail> {
  const [d, meta] = await Promise.all([ProductAffinity.findById(affinityId(kind, key)).lean(), getAffinityMeta()]);
  if (!d)
    throw notFound(
      kind === 'sku'
        ? `找不到 SKU「${key}」的購買紀錄（或尚未重新計算商品關聯）。`
        : `找不到分類「${key}」的購買紀錄（或尚未重新計算商品關聯）。`,
      'affinity_item_not_found',
    );
  return {
    kind,
    key: d.key ?? key,
    name: d.name ?? key,
    category: d.category ?? null,
    buyers: d.buyers,
    share: meta.members > 0 ? Math.round((d.buyers / meta.members) * 10000) / 10000 : 0,
    related: (d.related ?? []).map((r) => ({
      key: r.key,
      name: r.name ?? r.key,
      coBuyers: r.coBuyers,
      confidence: r.confidence,
      lift: r.lift,
    })),
    topSkus: (d.topSkus ?? []).map((s) => ({ key: s.key, name: s.name ?? s.key, buyers: s.buyers })),
    meta,
  };
}
