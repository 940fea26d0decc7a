import { normalizeTaiwanMobile } from '../shared/phone';
import { isLineUserId } from '../../shared/ids';
import { normalizeCity } from '../members/city-backfill.service';

/**
 * The member fields a CSV column can be mapped to, with how each value is read and checked. Labels double as
 * export headers, so an exported file maps itself on re-import (round trip).
 */
export const IMPORT_FIELD_KEYS = [
  'memberCode',
  'lineUserId',
  'phone',
  'name',
  'displayName',
  'email',
  'gender',
  'birthday',
  'city',
  'tags',
  'marketingConsent',
] as const;
export type ImportFieldKey = (typeof IMPORT_FIELD_KEYS)[number];
export const IDENTIFIER_FIELDS: ImportFieldKey[] = ['memberCode', 'lineUserId', 'phone'];

export type ParsedValue = string | string[] | boolean;
export type FieldParse = { ok: true; value: ParsedValue } | { ok: false; reason: string };

export interface ImportField {
  key: ImportFieldKey;
  label: string;
  /** Header spellings recognised when suggesting a mapping (compared lower-case, spaces removed). */
  aliases: string[];
  parse(raw: string): FieldParse;
}

const ok = (value: ParsedValue): FieldParse => ({ ok: true, value });
const fail = (reason: string): FieldParse => ({ ok: false, reason });

const GENDERS: Record<string, string> = {
  女: 'female',
  女性: 'female',
  f: 'female',
  female: 'female',
  男: 'male',
  男性: 'male',
  m: 'male',
  male: 'male',
  其他: 'other',
  other: 'other',
  不透露: 'undisclosed',
  不公開: 'undisclosed',
  undisclosed: 'undisclosed',
};
const YES = new Set(['是', '同意', 'y', 'yes', 'true', '1', 'v', '✓']);
const NO = new Set(['否', '不同意', 'n', 'no', 'false', '0', 'x']);

/** `1990-03-12`, `1990/3/12`, `19900312`, and ROC years (`79/3/12`, `民國79年3月12日`) → `YYYY-MM-DD`. */
export function parseBirthday(raw: string, today = new Date()): string | null {
  const s = raw
    .trim()
    .replace(/^民國/, '')
    .replace(/[年月]/g, '/')
    .replace(/日$/, '');
  const m = /^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  let year = Number(m[1]);
  if (m[1].length <= 3) year += 1911; // ROC calendar, as Taiwan forms often write it
  const month = Number(m[2]);
  const day = Number(m[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 1900 || date.getTime() > today.getTime()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const IMPORT_FIELDS: ImportField[] = [
  {
    key: 'memberCode',
    label: '會員編號',
    aliases: ['會員編號', '會員代碼', '會員卡號', 'membercode', 'member_code', 'code'],
    parse: (raw) => (/^[A-Za-z0-9-]{4,20}$/.test(raw) ? ok(raw.toUpperCase()) : fail('會員編號須為 4–20 個英數字')),
  },
  {
    key: 'lineUserId',
    label: 'LINE userId',
    aliases: ['lineuserid', 'line_user_id', 'line使用者id', 'userid'],
    parse: (raw) => (isLineUserId(raw) ? ok(raw) : fail('LINE userId 應為 U 開頭加 32 個十六進位字元')),
  },
  {
    key: 'phone',
    label: '手機',
    aliases: ['手機', '手機號碼', '行動電話', '電話', 'phone', 'mobile'],
    parse: (raw) => {
      const phone = normalizeTaiwanMobile(raw);
      return phone ? ok(phone) : fail('手機號碼格式不正確（應為 09 開頭的 10 碼）');
    },
  },
  {
    key: 'name',
    label: '姓名',
    aliases: ['姓名', '名字', '會員姓名', 'name', 'fullname'],
    parse: (raw) => (raw.length <= 50 ? ok(raw) : fail('姓名最多 50 個字')),
  },
  {
    key: 'displayName',
    label: 'LINE 名稱',
    aliases: ['line名稱', '顯示名稱', 'displayname', '暱稱'],
    parse: (raw) => (raw.length <= 100 ? ok(raw) : fail('名稱最多 100 個字')),
  },
  {
    key: 'email',
    label: 'Email',
    aliases: ['email', 'e-mail', '電子郵件', '信箱', '電子信箱'],
    parse: (raw) =>
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) && raw.length <= 200 ? ok(raw.toLowerCase()) : fail('Email 格式不正確'),
  },
  {
    key: 'gender',
    label: '性別',
    aliases: ['性別', 'gender', 'sex'],
    parse: (raw) => {
      const g = GENDERS[raw.toLowerCase()];
      return g ? ok(g) : fail('性別請填 男、女、其他 或 不透露');
    },
  },
  {
    key: 'birthday',
    label: '生日',
    aliases: ['生日', '出生日期', '出生年月日', 'birthday', 'birthdate', 'dob'],
    parse: (raw) => {
      const d = parseBirthday(raw);
      if (d) return ok(d);
      // A real date after today is a typo in the year (or a ROC/western mix-up): say so, not "not a date".
      if (parseBirthday(raw, new Date(8.64e15))) return fail('生日晚於今天（請確認年份，民國年請寫 79/3/12）');
      return fail('生日不是有效的日期（例：1990-03-12 或 79/3/12）');
    },
  },
  {
    key: 'city',
    label: '居住城市',
    aliases: ['居住城市', '城市', '縣市', '居住地', 'city'],
    parse: (raw) => (raw.length <= 20 ? ok(normalizeCity(raw)) : fail('城市名稱太長')),
  },
  {
    key: 'tags',
    label: '標籤',
    aliases: ['標籤', 'tags', 'tag', '會員標籤'],
    parse: (raw) => {
      const tags = [
        ...new Set(
          raw
            .split(/[,;、，；|]/)
            .map((t) => t.normalize('NFKC').trim().replace(/\s+/g, ' '))
            .filter(Boolean),
        ),
      ];
      if (tags.some((t) => t.length > 30)) return fail('每個標籤最多 30 個字');
      return tags.length <= 20 ? ok(tags) : fail('一位會員最多匯入 20 個標籤');
    },
  },
  {
    key: 'marketingConsent',
    label: '同意行銷訊息',
    aliases: ['同意行銷訊息', '行銷同意', '同意接收行銷', 'marketingconsent', 'marketing'],
    parse: (raw) => {
      const v = raw.toLowerCase();
      if (YES.has(v)) return ok(true);
      return NO.has(v) ? ok(false) : fail('請填 是 或 否');
    },
  },
];

export const FIELD_BY_KEY = new Map(IMPORT_FIELDS.map((f) => [f.key, f]));

const squash = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .replace(/[\s_]/g, '')
    .toLowerCase();

/** A suggested header → field mapping: exact label or alias match, each field used once. */
export function suggestMapping(headers: string[]): Record<string, ImportFieldKey> {
  const mapping: Record<string, ImportFieldKey> = {};
  const used = new Set<ImportFieldKey>();
  for (const header of headers) {
    const h = squash(header);
    const field = IMPORT_FIELDS.find(
      (f) => !used.has(f.key) && (squash(f.label) === h || f.aliases.some((a) => squash(a) === h)),
    );
    if (field) {
      mapping[header] = field.key;
      used.add(field.key);
    }
  }
  return mapping;
}
