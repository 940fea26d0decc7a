import { type CampaignLean } from '../../models/campaign.model';
import { CouponTemplate } from '../../models/coupon-template.model';
import { checkLineMessages, type LineRuleIssue } from '../messaging/line-rules/line-message-rules';
import { type LineMessage, type LineRejection, type Messenger, MessengerError } from '../messaging/messenger';
import { AppError, type FieldError, validationError } from '../shared/errors';
import type { Links } from '../shared/links';
import { moduleLogger } from '../shared/logger';
import { AB_VARIANT_KEYS, type AbTest, type CampaignMessage, type ParsedCampaignInput } from './campaign.schema';
import { campaignText } from './campaign-text';
import { extractUrls, LINK_CODE_LENGTH, LINK_ID_LENGTH, type LinkRef, rewriteLinks } from './tracked-links.service';

/**
 * What a campaign sends is not what the marketer typed: links become tracked redirects (plus a member token when
 * links are tracked per member) and a coupon adds its notice. LINE judges the final message, so it is checked
 * here, with the longest final form of every link, before anything is stored and again before a send starts.
 */

const log = moduleLogger('campaigns');

/** The redirect base when no public address is configured (tests of the domain alone): a realistic length. */
const FALLBACK_BASE = 'https://huigo.example.com.tw';

type RenderSource = Pick<CampaignLean, 'messages' | 'links' | 'coupon'> & { ab?: AbTest | null };

/**
 * The campaign's custom aggregation unit for LINE's per-unit statistics: `c` and the campaign id (25 characters,
 * within LINE's `^[a-zA-Z0-9_]{1,30}$`). Every send of the campaign names it, so LINE counts the campaign's
 * impressions and clicks (insight API); one unit per campaign keeps within LINE's 1,000 unit names a month.
 */
export const campaignUnitOf = (campaignId: string) => `c${campaignId}`;

/** The letters of a campaign's variants (`[undefined]` without an A/B test: one set of messages). */
export function variantKeysOf(campaign: { ab?: AbTest | null }): Array<string | undefined> {
  return campaign.ab ? campaign.ab.variants.map((_, i) => AB_VARIANT_KEYS[i]) : [undefined];
}

/** The authored messages of one variant (the campaign's own without an A/B test or variant). */
export function variantMessages(campaign: Pick<RenderSource, 'messages' | 'ab'>, variant?: string): CampaignMessage[] {
  const i = variant ? AB_VARIANT_KEYS.indexOf(variant as (typeof AB_VARIANT_KEYS)[number]) : -1;
  return campaign.ab && i >= 0 && campaign.ab.variants[i] ? campaign.ab.variants[i].messages : campaign.messages;
}

/** How one recipient's copy is rendered: its variant and, for per-member sends, its short link codes. */
export interface RenderFor {
  variant?: string;
  codes?: Map<string, string>;
}

/**
 * The LINE messages of a campaign (of one variant in an A/B test): tracked links, each plain-text link on its
 * destination line (`shop.example.com › 活動`), plus the coupon notice when a coupon is attached.
 */
export async function renderCampaignMessages(
  campaign: RenderSource,
  links: Pick<Links, 'server' | 'card'>,
  forRecipient: RenderFor = {},
): Promise<LineMessage[]> {
  const { variant, codes } = forRecipient;
  const refs = (campaign.links ?? []).filter((l) => (l.variant ?? undefined) === (campaign.ab ? variant : undefined));
  const messages: LineMessage[] = rewriteLinks(variantMessages(campaign, variant), refs, links.server(''), {
    codes,
    showHosts: true,
  });
  if (campaign.coupon?.templateId) {
    const t = await CouponTemplate.findById(campaign.coupon.templateId, { title: 1 }).lean();
    messages.push({ type: 'text', text: campaignText.couponNotice(t?.title ?? '優惠券', links.card()) });
  }
  return messages;
}

/**
 * Messages as a recipient will read them, for a preview or LINE's rules before links exist: every URL a tracked
 * link (the saved one in `existing`, else a sample id of the real length), a per-recipient sample code when links
 * are tracked per member, and each plain-text link on its destination line. Journey steps use it as it is.
 */
export function renderWithSampleLinks(
  messages: CampaignMessage[],
  opts: { existing?: LinkRef[]; perMember: boolean; baseUrl?: string; variant?: string },
): { messages: LineMessage[]; links: LinkRef[] } {
  const known = new Map((opts.existing ?? []).map((l) => [l.url, l.id]));
  const links = extractUrls(messages).map((url) => ({
    url,
    id: known.get(url) ?? 'L'.repeat(LINK_ID_LENGTH),
    ...(opts.variant ? { variant: opts.variant } : {}),
  }));
  const codes = opts.perMember ? sampleCodes(links) : undefined;
  return {
    links,
    messages: rewriteLinks(messages, links, opts.baseUrl ?? FALLBACK_BASE, { codes, showHosts: true }) as LineMessage[],
  };
}

/** Stand-in per-recipient codes for every link: as long as any real one (codes have a fixed length). */
export function sampleCodes(links: LinkRef[]): Map<string, string> {
  return new Map(links.map((l) => [l.id, 'C'.repeat(LINK_CODE_LENGTH)]));
}

export interface CheckDeps {
  links?: Pick<Links, 'server' | 'card'>;
  messenger?: Messenger;
}

/**
 * The messages as members will get them: every link at its final length (a per-recipient code when links are
 * tracked per member). Pass `variant` for one variant of an A/B test.
 */
export async function finalCampaignMessages(
  data: Pick<ParsedCampaignInput, 'messages' | 'coupon' | 'options'> & { ab?: AbTest | null },
  existing: LinkRef[],
  deps: CheckDeps,
  variant?: string,
): Promise<LineMessage[]> {
  const scope = data.ab ? variant : undefined;
  const { links } = renderWithSampleLinks(variantMessages(data, variant), {
    existing: existing.filter((l) => (l.variant ?? undefined) === scope),
    perMember: false,
    variant: scope,
  });
  const fallback = { server: (p: string) => `${FALLBACK_BASE}${p}`, card: () => `${FALLBACK_BASE}/card` };
  const codes = data.options.linkTracking === 'member' ? sampleCodes(links) : undefined;
  const source = { messages: data.messages, ab: data.ab, links, coupon: data.coupon ?? undefined } as RenderSource;
  return renderCampaignMessages(source, deps.links ?? fallback, { variant: scope, codes });
}

/**
 * Refuses (400 with a field list) a campaign whose final messages break LINE's rules, then asks LINE itself
 * (`validate/multicast`, or `validate/push` for per-member sends). LINE being unreachable does not block a save:
 * the same question is asked again before the send starts.
 */
export async function checkCampaignMessages(
  data: Pick<ParsedCampaignInput, 'messages' | 'coupon' | 'options'> & { ab?: AbTest | null },
  existing: LinkRef[],
  deps: CheckDeps,
): Promise<void> {
  for (const variant of variantKeysOf(data)) {
    // Problems in a variant are shown at its field (`ab.variants.1.messages.0.text`).
    const prefix = variant ? `ab.variants.${AB_VARIANT_KEYS.indexOf(variant as 'A')}.` : '';
    const final = await finalCampaignMessages(data, existing, deps, variant);
    const issues = checkLineMessages(final);
    if (issues.length)
      throw validationError(
        fieldsOf(issues, variantMessages(data, variant)).map((f) => ({
          ...f,
          path: f.path.startsWith('messages') ? `${prefix}${f.path}` : f.path,
        })),
      );
    if (!deps.messenger) continue;
    const kind = data.options.linkTracking === 'member' ? 'push' : 'multicast';
    const verdict = await askLine(deps.messenger, kind, final);
    if (verdict) throw lineRejected(verdict);
  }
}

/** LINE's verdict: its rejection, or null when accepted (or when LINE could not be asked). */
export async function askLine(
  messenger: Messenger,
  kind: 'push' | 'multicast',
  messages: LineMessage[],
): Promise<LineRejection | null> {
  try {
    const verdict = await messenger.validate(kind, messages);
    return verdict.ok ? null : { message: verdict.message, details: verdict.details };
  } catch (err) {
    if (!(err instanceof MessengerError)) throw err;
    log.warn({ status: err.status }, 'LINE validate endpoint unavailable; the send-time check will ask again');
    return null;
  }
}

/** Field errors at the authored message; problems in the coupon notice (index past them) at the coupon. */
function fieldsOf(issues: LineRuleIssue[], authored: CampaignMessage[]): FieldError[] {
  return issues.map((i) => {
    const index = i.path[0];
    if (typeof index === 'number' && index >= authored.length) return { path: 'coupon.templateId', message: i.message };
    return { path: ['messages', ...i.path].join('.'), message: i.message };
  });
}

/** LINE's `messages[0].contents.body` as the console's field path `messages.0.contents.body`. */
export function linePropertyPath(property: string): string {
  const p = property.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
  return p.startsWith('messages') ? p : `messages.${p}`.replace(/\.$/, '');
}

/** A LINE 400 as the marketer sees it: zh-TW summary, LINE's own words per property. */
export function lineRejected(r: LineRejection): AppError {
  const fields = r.details.map((d) => ({
    path: linePropertyPath(d.property),
    message: campaignText.lineDetail(d.message),
  }));
  return new AppError('line_rejected', 400, campaignText.lineRejected(r.message), { fields, line: r });
}
