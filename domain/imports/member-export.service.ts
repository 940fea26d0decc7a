import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { Member } from '../../models/member.model';
import { MEMBER_STATUS_LABELS } from '../../shared/vocabulary';
import { isProfileComplete } from '../members/profile-complete';
import { zonedDate } from '../shared/clock';
import { IMPORT_FIELDS, type ImportFieldKey } from './import-fields';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MemberRow = Record<string, any>;

export interface ExportField {
  key: string;
  label: string;
  importable: boolean;
  get(m: MemberRow, tz: string): string;
}

const GENDER_OUT: Record<string, string> = { female: '女', male: '男', other: '其他', undisclosed: '不透露' };
const day = (d: Date | undefined, tz: string) => (d ? zonedDate(new Date(d), tz) : '');

/** How each importable field is written, in the form the importer reads back (round trip). */
const IMPORTABLE_OUT: Record<ImportFieldKey, (m: MemberRow) => string> = {
  memberCode: (m) => m.memberCode ?? '',
  lineUserId: (m) => m.lineUserId ?? '',
  phone: (m) => excelText(m.phone ?? ''),
  name: (m) => m.name ?? '',
  displayName: (m) => m.displayName ?? '',
  email: (m) => m.email ?? '',
  gender: (m) => GENDER_OUT[m.gender] ?? '',
  birthday: (m) => m.birthday ?? '',
  city: (m) => m.city ?? '',
  tags: (m) => (m.tags ?? []).map((t: { tag: string }) => t.tag).join('、'),
  marketingConsent: (m) => (m.consent?.marketing ? '是' : '否'),
};

/** Every exportable column: the importable fields first (same labels as the importer), then read-only facts. */
export const EXPORT_FIELDS: ExportField[] = [
  ...IMPORT_FIELDS.map((f) => ({ key: f.key, label: f.label, importable: true, get: IMPORTABLE_OUT[f.key] })),
  { key: 'status', label: '會員狀態', importable: false, get: (m) => MEMBER_STATUS_LABELS[m.status] ?? m.status ?? '' },
  { key: 'tier', label: '會員等級', importable: false, get: (m) => m.tier?.code ?? '' },
  { key: 'pointsBalance', label: '點數餘額', importable: false, get: (m) => String(m.pointsBalance ?? 0) },
  { key: 'purchaseCount', label: '消費次數', importable: false, get: (m) => String(m.stats?.purchaseCount ?? 0) },
  { key: 'totalSpend', label: '累積消費金額', importable: false, get: (m) => String(m.stats?.totalSpend ?? 0) },
  { key: 'lastPurchaseAt', label: '最近消費日', importable: false, get: (m, tz) => day(m.stats?.lastPurchaseAt, tz) },
  { key: 'rfmSegment', label: 'RFM 分群', importable: false, get: (m) => m.rfm?.segment ?? '' },
  {
    key: 'personaCompleted',
    label: '完成個人問答',
    importable: false,
    get: (m) => (isProfileComplete(m) ? '是' : '否'),
  },
  { key: 'followedAt', label: '加入好友日', importable: false, get: (m, tz) => day(m.followedAt, tz) },
  { key: 'createdAt', label: '建立日期', importable: false, get: (m, tz) => day(m.createdAt, tz) },
];
export const EXPORT_FIELD_KEYS = EXPORT_FIELDS.map((f) => f.key);
export const DEFAULT_EXPORT_FIELDS = [
  'memberCode',
  'name',
  'phone',
  'email',
  'gender',
  'birthday',
  'city',
  'tags',
  'marketingConsent',
  'tier',
  'pointsBalance',
  'purchaseCount',
  'totalSpend',
  'lastPurchaseAt',
];

/**
 * A digits-only value Excel must keep as text (a phone's leading 0): Excel reads a CSV cell `0912345678` as the
 * number 912345678, but `="0912345678"` as the text. Only ever applied to digits, so the "formula" is inert; the
 * importer reads the wrapper back (import-rows.ts), so an export still re-imports unchanged.
 */
export function excelText(digits: string): string {
  return /^\d+$/.test(digits) ? `="${digits}"` : digits;
}

/** Excel runs a cell starting with = + - @ as a formula; a leading apostrophe makes it text (the importer strips it). */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Members read per page: memory holds about one page, whatever the number of members. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * Streams every member matching `filter` as CSV: UTF-8 with a BOM (so Excel opens Chinese correctly), CRLF line
 * ends, columns in the order chosen. Erased members are never exported. No cap: the members are read in pages in
 * `_id` order (`_id > last` of the page before, on the `_id` index), a page only when the response has drained the
 * last one (the stream's backpressure), so memory does not grow with the members and no cursor is held open while
 * a slow client downloads.
 */
export function exportMembersCsv(opts: {
  filter: Record<string, unknown>;
  fields: string[];
  timeZone: string;
  pageSize?: number;
}): Readable {
  // Columns in the order they were chosen (unknown keys are refused by the caller).
  const fields = opts.fields
    .map((k) => EXPORT_FIELDS.find((f) => f.key === k))
    .filter((f): f is ExportField => Boolean(f));
  const csv = stringify({
    bom: true,
    header: true,
    record_delimiter: 'windows',
    columns: fields.map((f) => ({ key: f.key, header: f.label })),
  });
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const rows = async function* () {
    let after: unknown = null;
    for (;;) {
      const page: MemberRow[] = await Member.find({
        $and: [opts.filter, { erasedAt: null }, ...(after === null ? [] : [{ _id: { $gt: after } }])],
      })
        .sort({ _id: 1 })
        .limit(pageSize)
        .lean();
      for (const m of page)
        yield Object.fromEntries(
          fields.map((f) => {
            const v = f.get(m, opts.timeZone);
            return [f.key, f.key === 'phone' && v.startsWith('="') ? v : neutralizeFormula(v)];
          }),
        );
      if (page.length < pageSize) return;
      after = page[page.length - 1]._id;
    }
  };
  const source = Readable.from(rows(), { highWaterMark: 64 });
  // A database failure mid-way ends the download with an error instead of a silently short file.
  source.on('error', (err) => csv.destroy(err));
  return source.pipe(csv);
}
