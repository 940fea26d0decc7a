/**
 * Wire shapes of /api/console/richmenus (console ↔ server). Plain types: the server's zod schemas live in
 * domain/richmenus/richmenu.schema.ts and api/console/presenters/contract-checks.ts keeps the two in step.
 */
export type RichMenuLayoutWire = '2x3' | '2x2' | '1x3' | 'tabs2' | 'image';
export type RichMenuActionWire =
  | { type: 'card'; page: '' | 'points' | 'coupons' | 'referral' | 'profile' | 'benefits' }
  | { type: 'keyword'; text: string }
  | { type: 'uri'; uri: string }
  | { type: 'postback'; data: string; displayText?: string }
  | { type: 'switch'; menuId: string };
export interface RichMenuTileWire {
  label: string;
  hint: string;
  action: RichMenuActionWire;
}
export interface RichMenuAreaWire {
  bounds: { x: number; y: number; width: number; height: number };
  label: string;
  action: RichMenuActionWire;
}
export interface RichMenuRuleWire {
  kind: 'none' | 'pending' | 'member' | 'tier' | 'segment' | 'tag';
  value?: string;
  priority: number;
  from?: string;
  to?: string;
}
export interface RichMenuRequest {
  name: string;
  chatBarText: string;
  layout: RichMenuLayoutWire;
  tiles: RichMenuTileWire[];
  areas: RichMenuAreaWire[];
  tabs?: { labels: [string, string]; index: 0 | 1; peerId?: string };
  rule: RichMenuRuleWire;
}
export interface RichMenuWire extends Omit<RichMenuRequest, 'tabs'> {
  id: string;
  tabs: { labels: string[]; index: number; peerId?: string } | null;
  image: { width: number; height: number } | null;
  hasImage: boolean;
  imageContentType: string | null;
  lineRichMenuId: string | null;
  aliasId: string | null;
  publishedAt: string | null;
  dirty: boolean;
  updatedAt: string | null;
}
