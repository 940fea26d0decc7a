/**
 * The building blocks of the LINE message validator (line-message-rules.ts): how LINE counts, what a URL or a
 * colour must look like, and the zh-TW wording of every problem. Pure and browser-safe (the console imports it).
 *
 * Sources: LINE Messaging API reference (developers.line.biz/en/reference/messaging-api/) and the OpenAPI
 * specification line/line-openapi `messaging-api.yml`.
 */

/** Where a problem is, relative to what was checked: `['0', 'contents', 'body', 'contents', 2, 'text']`. */
export type RulePath = Array<string | number>;

export interface LineRuleIssue {
  path: RulePath;
  /** zh-TW, shown to the marketer next to the field. */
  message: string;
}

/** Collects issues under a path prefix. */
export class IssueList {
  readonly issues: LineRuleIssue[] = [];
  add(path: RulePath, message: string): void {
    this.issues.push({ path, message });
  }
}

/** LINE counts message texts in UTF-16 code units: an emoji outside the BMP counts 2. */
export const utf16Length = (s: string): number => s.length;

const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter('zh-TW') : null;
/** LINE counts action labels as people see characters (grapheme clusters): 👨‍👩‍👧 is one. */
export function graphemeLength(s: string): number {
  if (!segmenter) return [...s].length;
  let n = 0;
  for (const _ of segmenter.segment(s)) n += 1;
  return n;
}

const encoder = new TextEncoder();
/** Flex size limits (bubble 30 KB, carousel 50 KB) are on the JSON in UTF-8 bytes: a CJK character is 3. */
export const utf8Bytes = (s: string): number => encoder.encode(s).length;

export const LIMITS = {
  messagesPerRequest: 5,
  textUtf16: 5000,
  altText: 1500,
  mediaUrl: 2000,
  uriActionUri: 1000,
  label: 20,
  actionData: 300,
  actionText: 300,
  clipboardText: 1000,
  quickReplyItems: 13,
  senderName: 20,
  /** LINE documents "30 KB" and "50 KB"; counted as 1,000-byte kilobytes, the stricter reading. */
  bubbleBytes: 30_000,
  carouselBytes: 50_000,
  carouselBubbles: 12,
  dateMin: '1900-01-01',
  dateMax: '2100-12-31',
} as const;

/** zh-TW texts of the validator, one place. */
export const ruleText = {
  required: '此欄位必填',
  empty: '不可以是空白',
  notObject: '格式不正確（必須是物件）',
  notArray: '格式不正確（必須是清單）',
  notString: '必須是文字',
  notNumber: '必須是數字',
  notBoolean: '必須是 true 或 false',
  unknownProperty: (key: string) => `LINE 不接受的屬性「${key}」`,
  oneOf: (values: readonly string[]) => `必須是 ${values.join('、')} 其中之一`,
  textTooLong: (max: number, n: number) => `最多 ${max} 字（LINE 以 UTF-16 計算，表情符號算 2 字），目前 ${n} 字`,
  labelTooLong: (max: number, n: number) => `按鈕文字最多 ${max} 字，目前 ${n} 字`,
  tooLong: (max: number, n: number) => `最多 ${max} 字，目前 ${n} 字`,
  urlTooLong: (max: number, n: number) => `網址最多 ${max} 字元，目前 ${n} 字元`,
  httpsOnly: '必須是 https:// 開頭的網址（LINE 不接受 http）',
  badUrl: '不是有效的網址',
  badScheme: '連結只能是 http、https、line 或 tel 開頭（例如不接受 mailto:）',
  badColor: '顏色必須是 #RRGGBB 或 #RRGGBBAA 格式',
  badSize: '尺寸格式不正確',
  badAngle: '角度必須是 0deg 到 359deg（例如 90deg）',
  badPercent: '必須是 0% 到 100% 之間的百分比',
  badAspectRatio: '長寬比必須是「寬:高」，數字介於 1 到 100000，且高度不超過寬度的 3 倍',
  unknownMessageType: (type: string) => `不支援的訊息類型「${type}」`,
  tooManyMessages: (max: number) => `一次最多 ${max} 則訊息`,
  noMessages: '至少要有一則訊息',
  unknownComponent: (type: string) => `不支援的 Flex 元件「${type}」`,
  notAllowedIn: (type: string, where: string) => `「${type}」不能放在${where}`,
  boxNeedsLayout: 'Flex 的 box 必須設定 layout（horizontal、vertical 或 baseline）',
  textNeedsContent: 'Flex 文字不可以是空白（請輸入文字）',
  bubbleTooBig: (bytes: number) =>
    `Flex 泡泡的 JSON 超過 LINE 上限 30KB（以 UTF-8 位元組計算，中文字一字 3 位元組），目前 ${formatKb(bytes)}`,
  carouselTooBig: (bytes: number) => `Flex 輪播的 JSON 超過 LINE 上限 50KB，目前 ${formatKb(bytes)}`,
  carouselCount: (max: number, n: number) => `輪播最多 ${max} 個泡泡，目前 ${n} 個`,
  carouselEmpty: '輪播至少要有一個泡泡',
  videoBubbleSize: '含影片的泡泡尺寸必須是 kilo、mega 或 giga',
  actionNotAllowed: (type: string, where: string) => `「${type}」動作不能用在${where}`,
  displayTextAndText: 'displayText 與 text 不能同時設定',
  badDate: (mode: string) => `日期時間格式不正確（${mode} 模式的格式為 ${DATE_FORMAT_HINT[mode] ?? ''}）`,
  dateOutOfRange: `必須介於 ${LIMITS.dateMin} 與 ${LIMITS.dateMax} 之間`,
  minAfterMax: '最早日期必須早於最晚日期',
  initialOutOfRange: '預設日期必須介於最早與最晚日期之間',
  quickReplyCount: (max: number) => `快速回覆按鈕必須有 1 到 ${max} 個`,
  badAliasId: '切換目標的代號只能用英文、數字、- 或 _（1 到 32 字）',
  richMenuSize: '圖文選單寬度必須介於 800 到 2500 像素、高度至少 250 像素，且寬高比至少 1.45',
  richMenuAreas: '圖文選單必須有 1 到 20 個點擊區域',
  areaOutside: '點擊區域超出圖文選單範圍',
  chatBarText: '選單列文字必須有 1 到 14 字',
};

const DATE_FORMAT_HINT: Record<string, string> = {
  date: 'YYYY-MM-DD',
  time: 'HH:mm',
  datetime: 'YYYY-MM-DDTHH:mm',
};

function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)}KB`;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A required, non-empty string (LINE rejects ""), at most `max` UTF-16 units. Returns it when usable. */
export function checkText(out: IssueList, o: Obj, key: string, path: RulePath, max: number, required = true) {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) out.add([...path, key], ruleText.required);
    return undefined;
  }
  if (typeof v !== 'string') return void out.add([...path, key], ruleText.notString);
  if (v.length === 0 || (required && v.trim() === '')) return void out.add([...path, key], ruleText.empty);
  if (utf16Length(v) > max) out.add([...path, key], ruleText.textTooLong(max, utf16Length(v)));
  return v;
}

/** An action label: grapheme clusters, at most 20. */
export function checkLabel(out: IssueList, o: Obj, path: RulePath, required: boolean): void {
  const v = o.label;
  if (v === undefined || v === null) {
    if (required) out.add([...path, 'label'], ruleText.required);
    return;
  }
  if (typeof v !== 'string') return out.add([...path, 'label'], ruleText.notString);
  if (v.trim() === '') return out.add([...path, 'label'], ruleText.empty);
  const n = graphemeLength(v);
  if (n > LIMITS.label) out.add([...path, 'label'], ruleText.labelTooLong(LIMITS.label, n));
}

function parsedUrl(v: string): URL | null {
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/** Images, icons, videos: https only, at most 2,000 characters. */
export function checkMediaUrl(out: IssueList, o: Obj, key: string, path: RulePath, required = true): void {
  const v = o[key];
  if (v === undefined || v === null) return required ? out.add([...path, key], ruleText.required) : undefined;
  if (typeof v !== 'string') return out.add([...path, key], ruleText.notString);
  if (v.length > LIMITS.mediaUrl) return out.add([...path, key], ruleText.urlTooLong(LIMITS.mediaUrl, v.length));
  const u = parsedUrl(v);
  if (!u || /\s/.test(v)) return out.add([...path, key], ruleText.badUrl);
  if (u.protocol !== 'https:') return out.add([...path, key], ruleText.httpsOnly);
  // `https:///a.png` parses (the host becomes `a.png`) but is not an address LINE can fetch.
  if (!/^https:\/\/[^/?#\s]+/i.test(v)) out.add([...path, key], ruleText.badUrl);
}

const URI_SCHEMES = ['http:', 'https:', 'line:', 'tel:'];
/** A uri action's target: http, https, line or tel, at most `max` characters. */
export function checkActionUri(out: IssueList, o: Obj, key: string, path: RulePath, max: number): void {
  const v = o[key];
  if (v === undefined || v === null) return out.add([...path, key], ruleText.required);
  if (typeof v !== 'string') return out.add([...path, key], ruleText.notString);
  if (v === '') return out.add([...path, key], ruleText.empty);
  if (v.length > max) return out.add([...path, key], ruleText.urlTooLong(max, v.length));
  const u = parsedUrl(v);
  if (!u) return out.add([...path, key], ruleText.badUrl);
  if (!URI_SCHEMES.includes(u.protocol)) return out.add([...path, key], ruleText.badScheme);
  // Something must follow the scheme: `tel:` alone or `line:` alone opens nothing.
  const rest = v.slice(u.protocol.length);
  const web = u.protocol === 'http:' || u.protocol === 'https:';
  if ((web && !/^\/\/[^/?#\s]+/.test(rest)) || (!web && rest.replace(/^\/+/, '') === '') || /\s/.test(v))
    out.add([...path, key], ruleText.badUrl);
}

export function checkEnum(out: IssueList, o: Obj, key: string, path: RulePath, values: readonly string[]): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'string' || !values.includes(v)) out.add([...path, key], ruleText.oneOf(values));
}

const COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;
export function checkColor(out: IssueList, o: Obj, key: string, path: RulePath): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'string' || !COLOR.test(v)) out.add([...path, key], ruleText.badColor);
}

export function checkBoolean(out: IssueList, o: Obj, key: string, path: RulePath): void {
  if (o[key] !== undefined && typeof o[key] !== 'boolean') out.add([...path, key], ruleText.notBoolean);
}

/** A non-negative integer (flex, maxLines). */
export function checkCount(out: IssueList, o: Obj, key: string, path: RulePath): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) out.add([...path, key], ruleText.notNumber);
}

/** A length: a keyword from `keywords`, or `<n>px` (and `<n>%` when `percent`). */
export function checkLength(
  out: IssueList,
  o: Obj,
  key: string,
  path: RulePath,
  keywords: readonly string[],
  opts: { px?: boolean; percent?: boolean } = { px: true },
): void {
  const v = o[key];
  if (v === undefined) return;
  const ok =
    typeof v === 'string' &&
    (keywords.includes(v) ||
      (opts.px !== false && /^\d+(\.\d+)?px$/.test(v)) ||
      (opts.percent === true && /^\d+(\.\d+)?%$/.test(v)));
  if (!ok) out.add([...path, key], ruleText.badSize);
}

/** Properties LINE does not know are refused (a typo would otherwise reach LINE and fail the whole batch). */
export function checkKnownKeys(out: IssueList, o: Obj, path: RulePath, known: readonly string[]): void {
  for (const key of Object.keys(o)) if (!known.includes(key)) out.add([...path, key], ruleText.unknownProperty(key));
}
