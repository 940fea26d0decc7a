import { type CampaignLean } from '../../models/campaign.model';
import { CouponTemplate } from '../../models/coupon-template.model';
import { checkLineMessages, type LineRuleIssue } from '../messaging/line-rules/line-message-rules';
import { type LineMessage, type LineRejection, type Messenger, MessengerError } from '../messaging/messenger';
import { AppError, type FieldError, validationError } from '../shared/errors';
import type { Links } from '../shared/links';
import { moduleLogger } from '../shared/logger';
import type { CampaignMessage, ParsedCampaignInput } from './campaign.schema';
import { campaignText } from './campaign-text';
import { extractUrls, LINK_ID_LENGTH, type LinkRef, MEMBER_TOKEN_LENGTH, rewriteLinks } from './tracked-links.service';

/**
 * What a campaign sends is not what the marketer typed: links become tracked redirects (plus a member token when
 * links are tracked per member) and a coupon adds its notice. LINE judges the final message, so it is checked
 * here, with the longest final form of every link, before anything is stored and again before a send starts.
 */

const log = moduleLogger('campaigns');

/** The redirect base when no public address is configured (tests of the domain alone): a realistic length. */
const FALLBACK_BASE = 'https://huigo.example.com.tw';

type RenderSource = Pick<CampaignLean, 'messages' | 'links' | 'coupon'>;

/** The LINE messages of a campaign: tracked links, plus the coupon notice when a coupon is attached. */
export async function renderCampaignMessages(
  campaign: RenderSource,
  links: Pick<Links, 'server' | 'card'>,
  memberToken?: string,
): Promise<LineMessage[]> {
  const messages: LineMessage[] = rewriteLinks(campaign.messages, campaign.links ?? [], links.server(''), memberToken);
  if (campaign.coupon?.templateId) {
    const t = await CouponTemplate.findById(campaign.coupon.templateId, { title: 1 }).lean();
    messages.push({ type: 'text', text: campaignText.couponNotice(t?.title ?? '優惠券', links.card()) });
  }
  return messages;
}

/** A stand-in member token as long as any real one (tokens have a fixed length). */
export const LONGEST_MEMBER_TOKEN = 'M'.repeat(MEMBER_TOKEN_LENGTH);

export interface CheckDeps {
  links?: Pick<Links, 'server' | 'card'>;
  messenger?: Messenger;
}

/** The messages as members will get them: every link at its final length, the longest member token in. */
export async function finalCampaignMessages(
  data: Pick<ParsedCampaignInput, 'messages' | 'coupon' | 'options'>,
  existing: LinkRef[],
  deps: CheckDeps,
): Promise<LineMessage[]> {
  const known = new Map(existing.map((l) => [l.url, l.id]));
  const links = extractUrls(data.messages).map((url) => ({ url, id: known.get(url) ?? 'L'.repeat(LINK_ID_LENGTH) }));
  const fallback = { server: (p: string) => `${FALLBACK_BASE}${p}`, card: () => `${FALLBACK_BASE}/card` };
  const token = data.options.linkTracking === 'member' ? LONGEST_MEMBER_TOKEN : undefined;
  const source = { messages: data.messages, links, coupon: data.coupon ?? undefined } as RenderSource;
  return renderCampaignMessages(source, deps.links ?? fallback, token);
}

/**
 * Refuses (400 with a field list) a campaign whose final messages break LINE's rules, then asks LINE itself
 * (`validate/multicast`, or `validate/push` for per-member sends). LINE being unreachable does not block a save:
 * the same question is asked again before the send starts.
 */
export async function checkCampaignMessages(
  data: Pick<ParsedCampaignInput, 'messages' | 'coupon' | 'options'>,
  existing: LinkRef[],
  deps: CheckDeps,
): Promise<void> {
  const final = await finalCampaignMessages(data, existing, deps);
  const issues = checkLineMessages(final);
  if (issues.length) throw validationError(fieldsOf(issues, data.messages));
  if (!deps.messenger) return;
  const verdict = await askLine(deps.messenger, data.options.linkTracking === 'member' ? 'push' : 'multicast', final);
  if (verdict) throw lineRejected(verdict);
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
