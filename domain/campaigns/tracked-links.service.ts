import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.model';
import { Journey } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { LinkCode, TrackedLink } from '../../models/tracked-link.model';
import { recordInteraction } from '../interactions/interaction.service';
import { countClick } from './campaign-counters.service';
import type { CampaignMessage } from './campaign.schema';
import { displayLink, utmCampaignSlug, withUtm } from './link-display';
import { generateShortCode } from '../coupons/short-code';

/**
 * Campaign and journey links are rewritten to `<publicBaseUrl>/r/<linkId>`. A multicast carries one identical
 * message to up to 500 people, so the link cannot say who clicked: it is counted per link. Sends made one member at
 * a time (`linkTracking: 'member'`) give each recipient short codes of their own (`/r/<code>`, a LinkCode naming
 * link and member on the server), so a click is attributed to a member without exposing member ids or letting
 * anyone forge another member's click. Older messages carry `?m=<token>`, an HMAC-signed member id: still honoured.
 */

const URL_IN_TEXT = /https?:\/\/[^\s<>"'「」（）()]+/g;
const URL_WITH_SPACE = new RegExp(`([ \\t]*)(${URL_IN_TEXT.source})`, 'g');

export interface LinkRef {
  id: string;
  url: string;
  /** The A/B variant whose messages carry the link. */
  variant?: string;
}

/** Every link id has this length, every per-recipient code that one, and every member token (24 bytes) that one. */
export const LINK_ID_LENGTH = 10;
/** Codes use the coupon codes' alphabet (no look-alikes such as 0/O, 1/I): 8 characters, ~10^12 codes. */
export const LINK_CODE_LENGTH = 8;
export const MEMBER_TOKEN_LENGTH = 32;
/** LINE's limit on a text message (UTF-16 units): the destination lines are left out when they would pass it. */
const TEXT_MAX = 5000;

function linkIdOf(): string {
  return randomBytes(8).toString('base64url').slice(0, LINK_ID_LENGTH);
}

/**
 * The member's short code for each of these links (`linkId → code`), created on first use: one upsert per link on
 * the unique (link, member) key, so two instances or a resumed send agree on the same code.
 */
export async function memberLinkCodes(
  links: LinkRef[],
  memberId: Types.ObjectId | string,
  campaignId?: Types.ObjectId,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const l of links) {
    const filter = { linkId: l.id, memberId };
    const doc = await LinkCode.findOneAndUpdate(
      filter,
      { $setOnInsert: { _id: generateShortCode(LINK_CODE_LENGTH), ...(campaignId ? { campaignId } : {}) } },
      { upsert: true, returnDocument: 'after', projection: { _id: 1 } },
    )
      .lean()
      .catch(async (err: { code?: number }) => {
        if (err.code !== 11000) throw err;
        return LinkCode.findOne(filter, { _id: 1 }).lean();
      });
    if (doc) out.set(l.id, String(doc._id));
  }
  return out;
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

/** The journey step whose links these are (their UTM parameters name the journey and the step). */
export interface LinkOwner {
  journeyId: Types.ObjectId;
  stepId: string;
}

/**
 * Tracked links for a campaign's URLs, reusing the campaign's existing link for a URL it already had. In an A/B
 * test each variant has links of its own (`variant`), so clicks are counted per variant. A journey step's links
 * (`campaignId` is then the step's link scope) also name their `owner`; a link saved before it did gets it now.
 */
export async function ensureTrackedLinks(
  campaignId: Types.ObjectId,
  messages: CampaignMessage[],
  variant?: string,
  owner?: LinkOwner,
): Promise<LinkRef[]> {
  const urls = extractUrls(messages);
  const existing = await TrackedLink.find({ campaignId, url: { $in: urls }, variant: variant ?? null }).lean();
  const byUrl = new Map(existing.map((l) => [l.url, l._id]));
  const ownerless = existing.filter((l) => !l.journeyId).map((l) => l._id);
  if (owner && ownerless.length)
    await TrackedLink.updateMany(
      { _id: { $in: ownerless } },
      { $set: { journeyId: owner.journeyId, stepId: owner.stepId } },
    );
  const refs: LinkRef[] = [];
  for (const url of urls) {
    let id = byUrl.get(url);
    if (!id) {
      id = linkIdOf();
      await TrackedLink.create({ _id: id, campaignId, url, ...(variant ? { variant } : {}), ...(owner ?? {}) });
    }
    refs.push(variant ? { id, url, variant } : { id, url });
  }
  return refs;
}

/** How links are written: a member token (`?m=`), or per-recipient codes; `showHosts` adds destination lines. */
export interface RewriteOptions {
  memberToken?: string;
  /** linkId → the recipient's short code: `/r/<code>` instead of `/r/<linkId>`. */
  codes?: Map<string, string>;
  /**
   * In a plain-text message, put the destination's host line (`shop.example.com › 活動`) before each short link,
   * so the customer sees where it goes; left out when the text would pass LINE's length limit.
   */
  showHosts?: boolean;
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
  opts: string | RewriteOptions = {},
): CampaignMessage[] {
  const o: RewriteOptions = typeof opts === 'string' ? { memberToken: opts } : opts;
  const redirectOf = (l: LinkRef) => {
    const code = o.codes?.get(l.id);
    if (code) return `${baseUrl}/r/${code}`;
    return `${baseUrl}/r/${l.id}${o.memberToken ? `?m=${o.memberToken}` : ''}`;
  };
  const map = new Map(links.map((l) => [l.url, redirectOf(l)]));
  return messages.map((m) => {
    if (m.type === 'text') return { ...m, text: rewriteText(m.text, map, o.showHosts === true) };
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

/**
 * A text with each tracked URL replaced by its redirect; with `showHosts`, the destination's host line first
 * (`shop.example.com › 活動` and the short link on the next line), unless that would pass LINE's length limit.
 */
function rewriteText(text: string, map: Map<string, string>, showHosts: boolean): string {
  const plain = text.replace(URL_IN_TEXT, (u) => map.get(u) ?? u);
  if (!showHosts) return plain;
  // A link inside a line starts a line of its own (the spaces before it dropped): host line, then the link.
  const shown = text.replace(URL_WITH_SPACE, (whole, space: string, u: string, offset: number) => {
    const redirect = map.get(u);
    if (!redirect) return whole;
    const atLineStart = offset === 0 || text[offset - 1] === '\n';
    return `${atLineStart ? space : '\n'}${displayLink(u)}\n${redirect}`;
  });
  return shown.length <= TEXT_MAX ? shown : plain;
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
  id: string,
  memberToken: string | undefined,
  now: Date,
  secret: string,
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{6,16}$/.test(id)) return null;
  // A per-recipient code names the link and the member itself (server-side); a link id may carry a token.
  const code = id.length === LINK_CODE_LENGTH ? await resolveCode(id) : null;
  if (id.length === LINK_CODE_LENGTH && !code) return null;
  const linkId = code ? code.linkId : id;
  const link = await TrackedLink.findOneAndUpdate(
    { _id: linkId },
    { $inc: { clicks: 1 }, $set: { lastClickAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!link) return null;
  const destination = await destinationOf(link);
  const memberId = code ? String(code.memberId) : memberToken ? verifyMemberToken(memberToken, secret) : null;
  const attributed = memberId !== null && Boolean(await Member.exists({ _id: memberId, erasedAt: null }));
  await countClick(link.campaignId, attributed && link.campaignId ? memberId : null, link.variant ?? undefined);
  if (attributed && memberId) {
    await recordInteraction({
      memberId,
      type: 'click',
      channel: 'line',
      summary: `${link.journeyId ? '點擊旅程連結' : '點擊活動連結'} ${link.url}`.slice(0, 300),
      at: now,
      refs: link.journeyId
        ? { journeyId: String(link.journeyId), stepId: link.stepId ?? undefined, linkId }
        : { campaignId: link.campaignId ? String(link.campaignId) : undefined, linkId },
      key: `click:${linkId}:${memberId}`,
    });
  }
  return destination;
}

/** A code's link and member; a code merged into another member's code (`aliasOf`) stands for that one. */
async function resolveCode(id: string): Promise<{ linkId: string; memberId: Types.ObjectId } | null> {
  const code = await LinkCode.findById(id, { linkId: 1, memberId: 1, aliasOf: 1 }).lean();
  if (!code?.aliasOf) return code;
  return LinkCode.findById(code.aliasOf, { linkId: 1, memberId: 1 }).lean();
}

/**
 * A member merge (`from` folded into `into`): the merged-away member's codes become the kept member's, so a code in
 * an old message still redirects and its clicks count for the kept member. (link, member) is unique: where the kept
 * member already has a code for the link, theirs stays and the other becomes an alias of it. Idempotent.
 */
export async function moveLinkCodes(from: Types.ObjectId, into: Types.ObjectId): Promise<number> {
  let moved = 0;
  for (const c of await LinkCode.find({ memberId: from, aliasOf: null }, { linkId: 1 }).lean()) {
    try {
      moved += (await LinkCode.updateOne({ _id: c._id, memberId: from }, { $set: { memberId: into } })).modifiedCount;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const kept = await LinkCode.findOne({ linkId: c.linkId, memberId: into }, { _id: 1 }).lean();
      if (!kept) throw err;
      moved += (await LinkCode.updateOne({ _id: c._id }, { $set: { aliasOf: kept._id } })).modifiedCount;
    }
  }
  return moved;
}

/**
 * The link's destination with UTM parameters: a campaign's (unless the campaign turned them off), or a journey
 * step's (`utm_medium=journey`, `utm_content=<step id>`). A link of neither goes as it is.
 */
async function destinationOf(link: {
  url: string;
  campaignId?: Types.ObjectId | null;
  journeyId?: Types.ObjectId | null;
  stepId?: string | null;
}): Promise<string> {
  if (link.journeyId) {
    const j = await Journey.findById(link.journeyId, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }>();
    if (!j) return link.url;
    return withUtm(link.url, {
      source: 'line',
      medium: 'journey',
      campaign: utmCampaignSlug(j.name, String(j._id), null, 'journey'),
      content: link.stepId ?? undefined,
    });
  }
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
