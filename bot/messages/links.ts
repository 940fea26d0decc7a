import type { AppConfig } from '../../server/config';

/**
 * The member card's address for chat buttons: the LIFF URL on real LINE (opens inside LINE, logged in), the
 * server's own /liff/ page with the emulator (there is no liff.line.me locally). `query` reaches the app as
 * its search string (`?view=coupons`), which LIFF passes through `liff.state` on real LINE.
 */
export function cardUrl(config: Pick<AppConfig, 'line' | 'publicBaseUrl'>, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  const base = config.line.mode === 'line' ? `https://liff.line.me/${config.line.liffId}` : `${config.publicBaseUrl}/liff/`;
  return qs ? `${base}?${qs}` : base;
}

/** LINE's share sheet with the text filled in (friends pick who to send it to). */
export function lineShareUrl(text: string): string {
  return `https://line.me/R/share?text=${encodeURIComponent(text)}`;
}
