import type { AppConfig } from '../../server/config';

/**
 * The member card's address for chat buttons: the LIFF URL on real LINE (opens inside LINE, logged in), the
 * server's own /liff/ page with the emulator (there is no liff.line.me locally). `path` is one of the card's deep
 * links (`coupons`, `coupons/<couponId>`, `points`, `referral`, `profile`; see liff-app/src/router.ts): LINE appends
 * it to the LIFF endpoint, so https://liff.line.me/<id>/points opens /liff/points.
 */
export function cardUrl(config: Pick<AppConfig, 'line' | 'publicBaseUrl'>, path = ''): string {
  const clean = path.replace(/^\/+/, '');
  if (config.line.mode === 'line') return `https://liff.line.me/${config.line.liffId}${clean ? `/${clean}` : ''}`;
  return `${config.publicBaseUrl}/liff/${clean}`;
}

/** LINE's share sheet with the text filled in (friends pick who to send it to). */
export function lineShareUrl(text: string): string {
  return `https://line.me/R/share?text=${encodeURIComponent(text)}`;
}
