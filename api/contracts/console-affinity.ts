import { z } from 'zod';

/**
 * Product affinity (#17.2), GET /api/console/dashboard/affinity (the pickable items and the last build) and
 * GET /api/console/dashboard/affinity/item?kind=&key= (one item's buyers and co-purchases).
 */
export const AffinityItemQuerySchema = z.object({
  kind: z.enum(['category', 'sku'], { message: '請選擇「分類」或「SKU」' }),
  key: z.string({ message: '請選擇一個分類或 SKU' }).trim().min(1, '請選擇一個分類或 SKU').max(64, '最多 64 個字'),
});
export type AffinityItemQuery = { kind: 'category' | 'sku'; key: string };

export interface AffinityMetaWire {
  /** Members with at least one purchase that still counts (the denominator of P(B)). */
  members: number;
  minSupport: number;
  minLift: number;
  /** How long the last build took. */
  ms: number;
  builtAt: string | null;
}

export interface AffinityListItemWire {
  kind: 'category' | 'sku';
  key: string;
  name: string;
  category: string | null;
  buyers: number;
}

export interface AffinityListResponse {
  meta: AffinityMetaWire;
  categories: AffinityListItemWire[];
  skus: AffinityListItemWire[];
}

export interface AffinityItemResponse extends AffinityListItemWire {
  share: number;
  related: Array<{ key: string; name: string; coBuyers: number; confidence: number; lift: number }>;
  topSkus: Array<{ key: string; name: string; buyers: number }>;
  meta: AffinityMetaWire;
}
