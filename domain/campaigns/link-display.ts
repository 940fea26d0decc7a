/**
 * Outbound links as marketers and customers expect them (#17.4): UTM parameters on the destination, so the shop's
 * analytics credits LINE and the campaign, and a visible form of a link that shows where it goes
 * (`shop.example.com › anniversary`) instead of the redirect with its member token.
 */

export interface UtmParams {
  source: string;
  /** `campaign` for a campaign's links, `journey` for a journey step's. */
  medium: string;
  campaign: string;
  /** What in the campaign the link is in: a journey's step id (campaigns set none). */
  content?: string;
}

/**
 * The destination with `utm_source`, `utm_medium`, `utm_campaign` (and `utm_content` when given) added; the URL's own query parameters and
 * fragment are kept, and a UTM parameter the marketer already put in the link wins. Non-http(s) URLs unchanged.
 */
export function withUtm(url: string, utm: UtmParams): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return url;
  for (const [key, value] of [
    ['utm_source', utm.source],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign],
    ['utm_content', utm.content],
  ] as const)
    if (value && !u.searchParams.has(key)) u.searchParams.append(key, value);
  return u.toString();
}

/**
 * The campaign's slug for `utm_campaign`: the one the marketer set, else the ASCII words of its name
 * (`Anniversary Sale 2026` → `anniversary-sale-2026`), else (a name in Chinese only) `<kind>-<last 6 of id>`
 * (`campaign-…`, or `journey-…` for a journey).
 */
export function utmCampaignSlug(
  name: string,
  id: string,
  override?: string | null,
  kind: 'campaign' | 'journey' = 'campaign',
): string {
  if (override) return override;
  const words = name
    .normalize('NFKC')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  const slug = (words ?? []).join('-').slice(0, 40).replace(/-+$/, '');
  return slug || `${kind}-${id.slice(-6)}`;
}

/**
 * What a customer sees for a link: the destination's host without `www.`, and its first path segment decoded
 * (`https://shop.example.com/%E6%B4%BB%E5%8B%95/x?y` → `shop.example.com › 活動`); just the host for the home page.
 */
export function displayLink(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const host = u.hostname.replace(/^www\./, '');
  const first = u.pathname.split('/').filter(Boolean)[0];
  if (!first) return host;
  let segment = first;
  try {
    segment = decodeURIComponent(first);
  } catch {
    /* keep it encoded */
  }
  return `${host} › ${segment.slice(0, 20)}`;
}
