import { checkAction } from './action-rules';
import { checkFlexContainer } from './flex-rules';
import {
  checkKnownKeys,
  checkMediaUrl,
  checkText,
  IssueList,
  isObj,
  LIMITS,
  type LineRuleIssue,
  type Obj,
  type RulePath,
  ruleText,
} from './rule-basics';

/**
 * The product's one LINE message validator: every message a marketer authors (campaign texts, images and flex, the
 * persona script's questions and quick replies, …) passes it before it is stored or sent, on the final message
 * (links rewritten, member tokens in), so what LINE would answer 400 to is refused at the field instead of failing
 * a batch of 500 recipients. Pure and browser-safe: the console runs the same checks while the marketer types.
 *
 * It covers the message types the product authors (text, image, flex with every component, quick replies and the
 * actions they use); anything else is refused. Independent of the emulator's validator on purpose: two readings
 * of LINE's documentation, each tested, catch each other's mistakes.
 */

export { graphemeLength, LIMITS, type LineRuleIssue, ruleText, utf16Length, utf8Bytes } from './rule-basics';
export { checkAction, pickerValue } from './action-rules';
export type { ActionPlace } from './action-rules';
export { checkLineRichMenu } from './richmenu-rules';

export const AUTHORED_MESSAGE_TYPES = ['text', 'image', 'flex'] as const;

const SENDER_KEYS = ['name', 'iconUrl'];

/** Problems of one message object; paths are relative to the message. */
export function checkLineMessage(message: unknown, path: RulePath = []): LineRuleIssue[] {
  const out = new IssueList();
  checkMessage(out, message, path);
  return out.issues;
}

/** Problems of a send's `messages` (1..5 message objects); paths start with the message's index. */
export function checkLineMessages(messages: unknown, path: RulePath = []): LineRuleIssue[] {
  const out = new IssueList();
  if (!Array.isArray(messages)) return [{ path, message: ruleText.notArray }];
  if (messages.length === 0) out.add(path, ruleText.noMessages);
  if (messages.length > LIMITS.messagesPerRequest) out.add(path, ruleText.tooManyMessages(LIMITS.messagesPerRequest));
  messages.forEach((m, i) => checkMessage(out, m, [...path, i]));
  return out.issues;
}

/** Problems of one action (flex, flex button or quick reply), e.g. a persona date picker before it is stored. */
export function checkLineAction(
  action: unknown,
  place: Parameters<typeof checkAction>[3],
  path: RulePath = [],
): LineRuleIssue[] {
  const out = new IssueList();
  checkAction(out, action, path, place);
  return out.issues;
}

function checkMessage(out: IssueList, m: unknown, path: RulePath): void {
  if (!isObj(m)) return out.add(path, ruleText.notObject);
  const type = m.type;
  if (typeof type !== 'string' || !(AUTHORED_MESSAGE_TYPES as readonly string[]).includes(type))
    return out.add([...path, 'type'], ruleText.unknownMessageType(String(type)));
  const common = ['type', 'quickReply', 'sender'];
  if (type === 'text') {
    checkKnownKeys(out, m, path, [...common, 'text']);
    checkText(out, m, 'text', path, LIMITS.textUtf16);
  } else if (type === 'image') {
    checkKnownKeys(out, m, path, [...common, 'originalContentUrl', 'previewImageUrl']);
    checkMediaUrl(out, m, 'originalContentUrl', path);
    checkMediaUrl(out, m, 'previewImageUrl', path);
  } else {
    checkKnownKeys(out, m, path, [...common, 'altText', 'contents']);
    checkText(out, m, 'altText', path, LIMITS.altText);
    checkFlexContainer(out, m.contents, [...path, 'contents']);
  }
  if (m.quickReply !== undefined) checkQuickReply(out, m.quickReply, [...path, 'quickReply']);
  if (m.sender !== undefined) checkSender(out, m.sender, [...path, 'sender']);
}

function checkQuickReply(out: IssueList, qr: unknown, path: RulePath): void {
  if (!isObj(qr)) return out.add(path, ruleText.notObject);
  checkKnownKeys(out, qr, path, ['items']);
  const items = qr.items;
  if (!Array.isArray(items)) return out.add([...path, 'items'], ruleText.notArray);
  if (items.length < 1 || items.length > LIMITS.quickReplyItems)
    out.add([...path, 'items'], ruleText.quickReplyCount(LIMITS.quickReplyItems));
  items.forEach((item: unknown, i) => {
    const p = [...path, 'items', i];
    if (!isObj(item)) return out.add(p, ruleText.notObject);
    checkKnownKeys(out, item, p, ['type', 'imageUrl', 'action']);
    if (item.type !== 'action') out.add([...p, 'type'], ruleText.oneOf(['action']));
    if (item.imageUrl !== undefined) checkMediaUrl(out, item, 'imageUrl', p);
    checkAction(out, item.action, [...p, 'action'], 'quickReply');
  });
}

function checkSender(out: IssueList, s: unknown, path: RulePath): void {
  if (!isObj(s)) return out.add(path, ruleText.notObject);
  checkKnownKeys(out, s, path, SENDER_KEYS);
  checkText(out, s as Obj, 'name', path, LIMITS.senderName, false);
  if (s.iconUrl !== undefined) checkMediaUrl(out, s, 'iconUrl', path);
}

/** The issues as field errors (`messages.0.contents.hero.url`), the shape the console shows at its fields. */
export function toFieldErrors(
  issues: LineRuleIssue[],
  prefix: RulePath = [],
): Array<{ path: string; message: string }> {
  return issues.map((i) => ({ path: [...prefix, ...i.path].join('.') || '(body)', message: i.message }));
}
