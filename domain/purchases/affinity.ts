/**
 * Product affinity (#17.2), the pure part: from each member's set of bought items (categories or SKUs, as the
 * purchase aggregates `buys` keep them), how many members bought each item, how many bought each pair, and for
 * each item A the other items B with
 *   co-buyers(A,B)  members who bought both,
 *   confidence      P(B|A) = co-buyers(A,B) / buyers(A),
 *   lift            P(B|A) / P(B) = co-buyers(A,B) × members / (buyers(A) × buyers(B)),
 * where `members` counts every member with at least one purchase that still counts. A pair with fewer than
 * `minSupport` co-buyers is noise and is left out. Items are numbered as they come, and a pair is one number
 * (i × 2^21 + j, i < j), so 300k members with a few dozen items each stay a flat Map of counts.
 */

export interface AffinityRelated {
  key: string;
  coBuyers: number;
  confidence: number;
  lift: number;
}

export interface AffinityItem {
  key: string;
  buyers: number;
  related: AffinityRelated[];
}

/** The rule's thresholds; the defaults are what the nightly job uses. */
export interface AffinityRule {
  /** Fewest co-buyers for a pair to be shown or suggested. */
  minSupport: number;
  /** Lowest lift for an item to be suggested (1 = bought together no more often than by chance). */
  minLift: number;
}
export const DEFAULT_AFFINITY_RULE: AffinityRule = { minSupport: 5, minLift: 1.2 };

/** At most this many related items are kept per item (highest lift first). */
export const MAX_RELATED = 50;

const PAIR = 2 ** 21;

/** Counts buyers per item and co-buyers per pair, one member's item set at a time. */
export class CoBuyCounter {
  members = 0;
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly buyers: number[] = [];
  private readonly pairs = new Map<number, number>();

  /** One member's distinct items (duplicates and blanks are ignored). */
  addMember(items: Iterable<string | null | undefined>): void {
    this.members += 1;
    const own: number[] = [];
    for (const raw of new Set(items)) {
      const key = raw?.trim();
      if (!key) continue;
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.keys.length;
        if (id >= PAIR) throw new Error('affinity: too many distinct items');
        this.ids.set(key, id);
        this.keys.push(key);
        this.buyers.push(0);
      }
      if (own.includes(id)) continue;
      this.buyers[id] += 1;
      own.push(id);
    }
    own.sort((a, b) => a - b);
    for (let x = 0; x < own.length; x++)
      for (let y = x + 1; y < own.length; y++) {
        const pair = own[x] * PAIR + own[y];
        this.pairs.set(pair, (this.pairs.get(pair) ?? 0) + 1);
      }
  }

  /** Every item with its buyers and related items (co-buyers ≥ minSupport), items sorted by buyers then key. */
  items(minSupport: number, members = this.members): AffinityItem[] {
    const related: AffinityRelated[][] = this.keys.map(() => []);
    for (const [pair, n] of this.pairs) {
      if (n < minSupport) continue;
      const a = Math.floor(pair / PAIR);
      const b = pair % PAIR;
      related[a].push(relate(this.keys[b], n, this.buyers[a], this.buyers[b], members));
      related[b].push(relate(this.keys[a], n, this.buyers[b], this.buyers[a], members));
    }
    return this.keys
      .map((key, i) => ({ key, buyers: this.buyers[i], related: related[i].sort(byLift).slice(0, MAX_RELATED) }))
      .sort((x, y) => y.buyers - x.buyers || cmp(x.key, y.key));
  }
}

function relate(key: string, coBuyers: number, buyersA: number, buyersB: number, members: number): AffinityRelated {
  const confidence = coBuyers / buyersA;
  const lift = members > 0 ? (coBuyers * members) / (buyersA * buyersB) : 0;
  return { key, coBuyers, confidence: round(confidence, 4), lift: round(lift, 3) };
}

/** Highest lift first; then more co-buyers; then the key, so the order never depends on how members came. */
export function byLift(x: AffinityRelated, y: AffinityRelated): number {
  return y.lift - x.lift || y.coBuyers - x.coBuyers || cmp(x.key, y.key);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A member's bought items as the suggestion rule reads them. */
export interface MemberItems {
  skus: string[];
  /** Categories with how many orders they were in and when last bought (`buys.cats`). */
  cats: Array<{ c: string; n: number; last: Date }>;
}

/** What the rule picked and why (the console and the tests read the reason). */
export type Suggestion =
  | { kind: 'affinity'; key: string; because: string; lift: number; coBuyers: number }
  | { kind: 'top_category'; key: string; category: string }
  | { kind: 'none' };

/**
 * The suggested next product: among the SKUs related to what the member bought with lift ≥ minLift and
 * co-buyers ≥ minSupport, the one with the highest lift they have not bought (ties: more co-buyers, then SKU);
 * otherwise the best-selling SKU of their top category (most orders, then latest) they have not bought; or none.
 */
export function pickSuggestion(
  member: MemberItems,
  relatedOf: (sku: string) => AffinityRelated[] | undefined,
  topSkusOf: (category: string) => string[] | undefined,
  rule: AffinityRule,
): Suggestion {
  const owned = new Set(member.skus);
  let best: (AffinityRelated & { because: string }) | null = null;
  for (const sku of [...owned].sort(cmp))
    for (const r of relatedOf(sku) ?? []) {
      if (owned.has(r.key) || r.lift < rule.minLift || r.coBuyers < rule.minSupport) continue;
      if (!best || byLift(r, best) < 0) best = { ...r, because: sku };
    }
  if (best) return { kind: 'affinity', key: best.key, because: best.because, lift: best.lift, coBuyers: best.coBuyers };
  const top = topCategory(member.cats);
  const fallback = top ? topSkusOf(top.c)?.find((s) => !owned.has(s)) : undefined;
  return fallback && top ? { kind: 'top_category', key: fallback, category: top.c } : { kind: 'none' };
}

/** The member's top category: in the most orders, then the latest bought, then by name. */
export function topCategory(cats: MemberItems['cats']): MemberItems['cats'][number] | undefined {
  return [...cats].sort(
    (x, y) => y.n - x.n || new Date(y.last).getTime() - new Date(x.last).getTime() || cmp(x.c, y.c),
  )[0];
}
