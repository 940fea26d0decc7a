import type { Card, CardBrand, CouponView } from '../../../api/contracts/member';

/**
 * The last member code view, kept in localStorage so the card opens without signal (a basement store): the code
 * for the QR and barcode, name, tier, balance with the time it was read, the brand, and the coupons the member
 * opened. Never the ID token or anything else the server did not put on the card (no phone, e-mail or birthday).
 * Cleared by `forgetDevice` (刪除我的資料, logout) and replaced when another member opens the card on this phone.
 */
export interface LastView {
  v: 1;
  memberCode: string;
  displayName: string;
  tier: { code: string; label: string };
  pointsBalance: number;
  /** When the server gave these figures (ISO). */
  asOf: string;
  /** The program's time zone, to say 「HH:mm」 as the card does online. */
  timeZone: string;
  brand: CardBrand;
  coupons: OfflineCoupon[];
  /** Local mode only: the emulator user the view belongs to (the URL names the user there). */
  mockUser: string | null;
}

export type OfflineCoupon = Pick<
  CouponView,
  'id' | 'code' | 'displayCode' | 'title' | 'terms' | 'valueLabel' | 'validUntil'
>;

export const LAST_VIEW_KEY = 'huigo.lastView';
const MAX_COUPONS = 20;

/** The stored view, or null when there is none, it is unreadable, or it belongs to another local-mode user. */
export function readLastView(mockUser: string | null = null): LastView | null {
  try {
    const raw = localStorage.getItem(LAST_VIEW_KEY);
    const view = raw ? (JSON.parse(raw) as LastView) : null;
    if (!view || view.v !== 1 || typeof view.memberCode !== 'string') return null;
    if (mockUser && view.mockUser !== mockUser) return null;
    return view;
  } catch {
    return null;
  }
}

/**
 * Keeps the card just read. Returns false when the stored view was another member's (a shared phone): the caller
 * then clears the device before this member's view is written.
 */
export function isSameMember(card: Pick<Card, 'memberCode'>): boolean {
  const prev = readLastView();
  return !prev || prev.memberCode === card.memberCode;
}

export function saveLastView(card: Card, timeZone: string, mockUser: string | null, now = new Date()): void {
  const prev = readLastView();
  const view: LastView = {
    v: 1,
    memberCode: card.memberCode,
    displayName: card.displayName,
    tier: { code: card.tier.code, label: card.tier.label },
    pointsBalance: card.pointsBalance,
    asOf: now.toISOString(),
    timeZone,
    brand: card.brand,
    coupons: prev?.memberCode === card.memberCode ? prev.coupons : [],
    mockUser,
  };
  write(view);
}

/** An active coupon the member opened: shown offline too (marked as offline data). A used one is dropped. */
export function rememberCoupon(coupon: CouponView): void {
  const view = readLastView();
  if (!view) return;
  const others = view.coupons.filter((c) => c.id !== coupon.id);
  if (coupon.status !== 'active') return write({ ...view, coupons: others });
  const { id, code, displayCode, title, terms, valueLabel, validUntil } = coupon;
  write({
    ...view,
    coupons: [{ id, code, displayCode, title, terms, valueLabel, validUntil }, ...others].slice(0, MAX_COUPONS),
  });
}

/** After the wallet loaded: coupons no longer active (used, expired, void) leave the offline view. */
export function keepOnlyActiveCoupons(activeIds: string[]): void {
  const view = readLastView();
  if (!view || !view.coupons.length) return;
  const active = new Set(activeIds);
  const kept = view.coupons.filter((c) => active.has(c.id));
  if (kept.length !== view.coupons.length) write({ ...view, coupons: kept });
}

function write(view: LastView): void {
  try {
    localStorage.setItem(LAST_VIEW_KEY, JSON.stringify(view));
  } catch {
    // storage full or disabled (private mode): the card still works online
  }
}
