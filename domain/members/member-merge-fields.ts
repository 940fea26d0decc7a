/**
 * Which static fields a merge of an imported member into a LINE member carries over, and how: a blank on the
 * target is filled from the source; where both hold different values the target's stays unless the marketer
 * chose the source's. Pure functions over plain member objects (no I/O).
 */
export const MERGE_FIELDS = [
  { key: 'name', label: '姓名' },
  { key: 'email', label: 'Email' },
  { key: 'gender', label: '性別' },
  { key: 'birthday', label: '生日' },
  { key: 'city', label: '居住城市' },
  { key: 'preferences.priceSensitivity', label: '價格敏感度' },
  { key: 'preferences.promotionType', label: '偏好優惠' },
  { key: 'preferences.contactTime', label: '聯絡時段' },
  { key: 'notes', label: '備註' },
] as const;
export type MergeFieldKey = (typeof MERGE_FIELDS)[number]['key'];
export const MERGE_FIELD_KEYS: readonly string[] = MERGE_FIELDS.map((f) => f.key);

export interface MergeFieldRow {
  key: MergeFieldKey;
  label: string;
  source: string | null;
  target: string | null;
  /** Both hold a value and they differ: the marketer may pick the source's. */
  conflict: boolean;
  /** What the merge does by default: fill a blank on the target, keep the target's, or nothing to do. */
  action: 'fill' | 'keep' | 'none';
}

type Plain = Record<string, unknown>;

function read(doc: Plain, path: string): string | null {
  let cur: unknown = doc;
  for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Plain)[part] : undefined;
  return typeof cur === 'string' && cur.trim() !== '' ? cur : null;
}

/** The field-by-field comparison shown in the preview. */
export function compareMergeFields(source: Plain, target: Plain): MergeFieldRow[] {
  return MERGE_FIELDS.map(({ key, label }) => {
    const s = read(source, key);
    const t = read(target, key);
    const conflict = s !== null && t !== null && s !== t;
    return {
      key,
      label,
      source: s,
      target: t,
      conflict,
      action: s !== null && t === null ? 'fill' : conflict ? 'keep' : 'none',
    };
  });
}

/** The `$set` for the target: blanks filled, chosen conflicts taken from the source. Repeating it changes nothing. */
export function mergeFieldSet(source: Plain, target: Plain, chosen: readonly string[]): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const row of compareMergeFields(source, target)) {
    if (row.source === null) continue;
    if (row.action === 'fill' || (row.conflict && chosen.includes(row.key))) set[row.key] = row.source;
  }
  if (typeof set.birthday === 'string') set.birthMonth = Number(set.birthday.slice(5, 7));
  return set;
}
