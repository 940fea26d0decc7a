import { goTo, inAppClick, useLocationValue } from '@kit/router';

/**
 * The card's screens. Paths match LIFF deep links: https://liff.line.me/{liffId}/coupons → /liff/coupons;
 * 會員權益 is /liff/benefits (the FAQ links there).
 */
export type Route =
  | { name: 'card' }
  | { name: 'coupons' }
  | { name: 'coupon'; id: string }
  | { name: 'exchange' }
  | { name: 'points' }
  | { name: 'referral' }
  | { name: 'profile' }
  | { name: 'benefits' }
  | { name: 'notFound' };

export const BASE = '/liff/';

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/liff\/?/, '');
  const parts = rest.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'card' };
  const [head, id] = parts;
  if (head === 'coupons' && id === 'exchange') return { name: 'exchange' };
  if (head === 'coupons' && id) return { name: 'coupon', id: decodeURIComponent(id) };
  if (parts.length === 1 && ['card', 'coupons', 'points', 'referral', 'profile', 'benefits'].includes(head))
    return { name: head } as Route;
  return { name: 'notFound' };
}

export function hrefOf(path: string): string {
  return BASE + path.replace(/^\//, '') + location.search;
}

/** In-app navigation without a page load (query string kept: it carries the local-mode user). */
export function navigate(path: string): void {
  goTo(hrefOf(path));
}

export function useRoute(): Route {
  return useLocationValue(() => parseRoute(location.pathname));
}

/** A link that navigates in-app; a real href so long-press and accessibility work. */
export function linkProps(path: string) {
  return { href: hrefOf(path), onClick: inAppClick(() => navigate(path)) };
}
