import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.model';
import { Member } from '../../models/member.model';
import { TrackedLink } from '../../models/tracked-link.model';
import { recordInteraction } from '../interactions/interaction.service';
import { countClick } from './campaign-counters.service';
import type { CampaignMessage } from './campaign.schema';
import { displayLink, utmCampaignSlug, withUtm } from './link-display';

/**
 * Campaign links are rewritten to `<publicBaseUrl>/r/<linkId>`. A multicast carries one identical message to up
 * to 500 people, so the link cannot say who clicked: it is counted per link. Only sends made one member at a time
 * (`linkTracking: 'member'`) append `?m=<token>`, an HMAC-signed member id, so a click is attributed to a member
 * without exposing member ids or letting anyone forge another member's click.
 */

const URL_IN_TEXT = /https?:\/\/[^\s<>"'「」（）()]+/g;

export interface LinkRef {
  id: string;
  url: string;
}

/** Every link id has this length, and every member token (24 bytes in base64url) that one. */
export const LINK_ID_LENGTH = 10;
export const MEMBER_TOKEN_LENGTH = 32;

function linkIdOf(): string {
  return randomBytes(8).toString('base64url').slice(0, LINK_ID_LENGTH);
}

/** Every distinct http(s) URL in the messages: in text, and in `uri` of flex actions (images are not links). */
export function extractUrls(messages: CampaignMessage[]): string[] {
  const urls = new Set<string>();
  for (const m of messages) {
    if (m.type === 'text') for (const u of m.text.match(URL_IN_TEXT) ?? []) urls.add(u);
    if (m.type === 'flex')
      walk(m.contents, (key, value) => {
        if (key === 'uri' && /^https?:\/\//.test(value)) urls.add(value);
        return value;
      });
  }
  return [...urls];
}

/** Tracked links for a campaign's URLs, reusing the campaign's existing link for a URL it already had. */
export async function ensureTrackedLinks(campaignId: Types.ObjectId, messages: CampaignMessage[]): Promise<LinkRef[]> {
  const urls = extractUrls(messages);
  const existing = await TrackedLink.find({ campaignId, url: { $in: urls } }).lean();
  const byUrl = new Map(existing.map((l) => [l.url, l._id]));
  const refs: LinkRef[] = [];
  for (const url of urls) {
    let id = byUrl.get(url);
    if (!id) {
      id = linkIdOf();
      await TrackedLink.create({ _id: id, campaignId, url });
    }
    refs.push({ id, url });
  }
  return refs;
}

/**
 * The messages with every tracked URL replaced by its redirect (plus the member token when given). In flex
 * messages the redirect only goes into `uri` actions; a URL in a visible text, label or the alt text is shown as
 * its destination (`shop.example.com › anniversary`), never as the redirect with its token. A URL in a plain text
 * message must stay visible to be tappable, so it becomes the short redirect on the brand's domain.
 */
export function rewriteLinks(
  messages: CampaignMessage[],
  links: LinkRef[],
  baseUrl: string,
  memberToken?: string,
): CampaignMessage[] {
  const map = new Map(links.map((l) => [l.url, `${baseUrl}/r/${l.id}${memberToken ? `?m=${memberToken}` : ''}`]));
  return messages.map((m) => {
    if (m.type === 'text') return { ...m, text: m.text.replace(URL_IN_TEXT, (u) => map.get(u) ?? u) };
    if (m.type === 'flex')
      return {
        ...m,
        altText: showHosts(m.altText),
        contents: walk(structuredClone(m.contents), (key, value) =>
          key === 'uri' ? (map.get(value) ?? value) : VISIBLE_KEYS.has(key) ? showHosts(value) : value,
        ),
      };
    return m;
  });
}

/** Flex properties a customer reads (a URL there is not a link, so it shows where it goes, not the redirect). */
const VISIBLE_KEYS = new Set(['text', 'label', 'altText']);
const showHosts = (text: string) => text.replace(URL_IN_TEXT, (u) => displayLink(u));

/** Visits every string property (key, value) of a JSON value, replacing it with what `fn` returns. */
function walk<T>(node: T, fn: (key: string, value: string) => string): T {
  if (Array.isArray(node)) node.forEach((child) => walk(child, fn));
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string') obj[k] = fn(k, v);
      else walk(v, fn);
    }
  }
  return node;
}

function tokenKey(secret: string): Buffer {
  return createHash('sha256').update(`huigo-link-token:${secret}`).digest();
}

/** `base64url(memberId bytes ‖ first 12 bytes of HMAC(linkless member id))`: short, unforgeable without the secret. */
export function signMemberToken(memberId: string | Types.ObjectId, secret: string): string {
  const id = Buffer.from(String(memberId), 'hex');
  const mac = createHmac('sha256', tokenKey(secret)).update(id).digest().subarray(0, 12);
  return Buffer.concat([id, mac]).toString('base64url');
}

/** The member id in a valid token, or null for anything forged, truncated or malformed. */
export function verifyMemberToken(token: string, secret: string): string | null {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 24) return null;
  const id = raw.subarray(0, 12);
  const expected = createHmac('sha256', tokenKey(secret)).update(id).digest().subarray(0, 12);
  return timingSafeEqual(expected, raw.subarray(12)) ? id.toString('hex') : null;
}

/**
 * Counts one open of a tracked link and, when the link carries a valid member token, records a click on that
 * member's timeline (once per member and link). Returns the destination, or null for an unknown link.
 */
export async function recordLinkClick(
  linkId: string,
  memberToken: string | undefined,
  now: Date,
  secret: string,
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{6,16}$/.test(linkId)) return null;
  const link = await TrackedLink.findOneAndUpdate(
    { _id: linkId },
    { $inc: { clicks: 1 }, $set: { lastClickAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!link) return null;
  const destination = await destinationOf(link);
  const memberId = memberToken ? verifyMemberToken(memberToken, secret) : null;
  const attributed = memberId !== null && Boolean(await Member.exists({ _id: memberId, erasedAt: null }));
  await countClick(link.campaignId, attributed && link.campaignId ? memberId : null);
  if (attributed && memberId) {
    await recordInteraction({
      memberId,
      type: 'click',
      channel: 'line',
      summary: `點擊活動連結 ${link.url}`.slice(0, 300),
      at: now,
      refs: { campaignId: link.campaignId ? String(link.campaignId) : undefined, linkId },
      key: `click:${linkId}:${memberId}`,
    });
  }
  return destination;
}

/**
 * The link's destination with the campaign's UTM parameters (unless the campaign turned them off). Links of a
 * journey step (no campaign document) go as they are.
 */
async function destinationOf(link: { url: string; campaignId?: Types.ObjectId | null }): Promise<string> {
  if (!link.campaignId) return link.url;
  const c = await Campaign.findById(link.campaignId, { name: 1, 'options.utm': 1 }).lean<{
    _id: Types.ObjectId;
    name: string;
    options?: { utm?: { enabled?: boolean; campaign?: string } };
  }>();
  if (!c || c.options?.utm?.enabled === false) return link.url;
  return withUtm(link.url, {
    source: 'line',
    medium: 'campaign',
    campaign: utmCampaignSlug(c.name, String(c._id), c.options?.utm?.campaign),
  });
}
