import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { generateMemberCode } from '../members/member.service';
import { FIELD_BY_KEY, IDENTIFIER_FIELDS, type ImportFieldKey } from './import-fields';
import type { ParsedRow, RowError, RowValues } from './import-rows';

/** The member fields an import reads and compares. */
const PROJECTION = {
  memberCode: 1,
  lineUserId: 1,
  phone: 1,
  name: 1,
  displayName: 1,
  email: 1,
  gender: 1,
  birthday: 1,
  city: 1,
  tags: 1,
  consent: 1,
  status: 1,
};

export interface ExistingMember {
  _id: Types.ObjectId;
  memberCode: string;
  lineUserId?: string | null;
  phone?: string | null;
  name?: string | null;
  displayName?: string | null;
  email?: string | null;
  gender?: string | null;
  birthday?: string | null;
  city?: string | null;
  tags?: Array<{ tag: string }>;
  consent?: { marketing?: boolean | null; status?: string | null } | null;
}

/**
 * Where each identifier value of a batch of rows currently lives. An identifier still held by a merged imported
 * record (member-merge.service.ts) points at the LINE member it was merged into, and is listed in `aliases` under
 * that member's id so the row neither conflicts with the member's own code/phone nor overwrites them.
 */
export interface ExistingIndex {
  byKey: Map<string, ExistingMember>;
  aliases?: Map<string, Set<string>>;
}
const indexKey = (field: ImportFieldKey, value: string) => `${field}:${value}`;
const DB_PATH: Record<string, string> = { memberCode: 'memberCode', lineUserId: 'lineUserId', phone: 'phone' };

/** Loads every non-erased member that holds any identifier of the rows (batched `$in`s). */
export async function loadExisting(rows: ParsedRow[]): Promise<ExistingIndex> {
  const byKey = new Map<string, ExistingMember>();
  const aliases = new Map<string, Set<string>>();
  for (const field of IDENTIFIER_FIELDS) {
    const values = [...new Set(rows.map((r) => r.values[field]).filter((v): v is string => typeof v === 'string'))];
    for (let i = 0; i < values.length; i += 500) {
      const found = await Member.find(
        { [DB_PATH[field]]: { $in: values.slice(i, i + 500) }, erasedAt: null },
        { ...PROJECTION, mergedInto: 1 },
      ).lean<Array<ExistingMember & { mergedInto?: Types.ObjectId | null }>>();
      for (const m of found) {
        const key = indexKey(field, String(m[field as 'memberCode']));
        if (!m.mergedInto) {
          byKey.set(key, m);
          continue;
        }
        const target = await Member.findOne({ _id: m.mergedInto, erasedAt: null }, PROJECTION).lean<ExistingMember>();
        if (!target) continue;
        byKey.set(key, target);
        const set = aliases.get(String(target._id)) ?? new Set<string>();
        set.add(key);
        aliases.set(String(target._id), set);
      }
    }
  }
  return { byKey, aliases };
}

export type RowPlan =
  | { action: 'create'; line: number; values: RowValues }
  | {
      action: 'update';
      line: number;
      member: ExistingMember;
      set: Record<string, unknown>;
      addTags: string[];
      changed: string[];
    }
  | { action: 'unchanged'; line: number; member: ExistingMember }
  | { action: 'error'; line: number; error: RowError };

/**
 * Decides what one row does: match a member by any identifier (all identifiers of the row must point at the same
 * member, and may not contradict what that member already has), then compute the fields that actually change.
 */
export function planRow(row: ParsedRow, existing: ExistingIndex): RowPlan {
  const matches = new Map<string, { member: ExistingMember; field: ImportFieldKey }>();
  for (const field of IDENTIFIER_FIELDS) {
    const v = row.values[field];
    const m = typeof v === 'string' ? existing.byKey.get(indexKey(field, v)) : undefined;
    if (m) matches.set(String(m._id), { member: m, field });
  }
  if (matches.size > 1) {
    const codes = [...matches.values()]
      .map((m) => `${FIELD_BY_KEY.get(m.field)!.label}→${m.member.memberCode}`)
      .join('、');
    return {
      action: 'error',
      line: row.line,
      error: { line: row.line, field: '識別欄位', reason: `對應到不同的會員（${codes}）` },
    };
  }
  if (matches.size === 0) return { action: 'create', line: row.line, values: row.values };
  const member = [...matches.values()][0].member;
  const aliases = existing.aliases?.get(String(member._id));
  if (aliases)
    row = {
      ...row,
      values: Object.fromEntries(
        Object.entries(row.values).filter(([k, v]) => !aliases.has(indexKey(k as ImportFieldKey, String(v)))),
      ) as RowValues,
    };
  for (const field of IDENTIFIER_FIELDS) {
    const v = row.values[field];
    const current = member[field as 'memberCode'];
    if (typeof v === 'string' && current && current !== v) {
      const label = FIELD_BY_KEY.get(field)!.label;
      return {
        action: 'error',
        line: row.line,
        error: {
          line: row.line,
          field: label,
          value: v,
          reason: `會員 ${member.memberCode} 已有不同的${label}，不會覆蓋`,
        },
      };
    }
  }
  const { set, addTags, changed } = diffMember(member, row.values);
  if (!changed.length) return { action: 'unchanged', line: row.line, member };
  return { action: 'update', line: row.line, member, set, addTags, changed };
}

function diffMember(
  member: ExistingMember,
  values: RowValues,
): { set: Record<string, unknown>; addTags: string[]; changed: string[] } {
  const set: Record<string, unknown> = {};
  const changed: string[] = [];
  for (const [key, value] of Object.entries(values) as Array<[ImportFieldKey, RowValues[ImportFieldKey]]>) {
    if (key === 'tags' || key === 'marketingConsent') continue;
    if ((member as unknown as Record<string, unknown>)[key] !== value) {
      set[key] = value;
      if (key === 'birthday') set.birthMonth = Number(String(value).slice(5, 7));
      changed.push(FIELD_BY_KEY.get(key)!.label);
    }
  }
  if (typeof values.marketingConsent === 'boolean' && Boolean(member.consent?.marketing) !== values.marketingConsent) {
    set['consent.marketing'] = values.marketingConsent;
    changed.push(FIELD_BY_KEY.get('marketingConsent')!.label);
  }
  const have = new Set((member.tags ?? []).map((t) => t.tag));
  const addTags = Array.isArray(values.tags) ? values.tags.filter((t) => !have.has(t)) : [];
  if (addTags.length) changed.push(FIELD_BY_KEY.get('tags')!.label);
  return { set, addTags, changed };
}

export interface WriteContext {
  actor: string;
  now: Date;
  /** Told the tags a write really added to a member (the import enters the "tag added" journeys with them). */
  tagged?: (memberId: Types.ObjectId, tags: string[]) => Promise<void>;
}
const importTags = (tags: string[], ctx: WriteContext) =>
  tags.map((tag) => ({ tag, source: 'import', addedAt: ctx.now, addedBy: ctx.actor }));

/**
 * Applies one planned row as a single atomic document write. Safe to repeat: a create that loses a race (unique
 * index) returns 'retry' so the caller re-plans the row against the member that now exists.
 */
export async function applyPlan(
  plan: RowPlan,
  ctx: WriteContext,
): Promise<'created' | 'updated' | 'unchanged' | 'retry'> {
  if (plan.action === 'unchanged' || plan.action === 'error') return 'unchanged';
  if (plan.action === 'update') {
    const $set = { ...plan.set };
    if ($set['consent.marketing'] === true)
      Object.assign($set, { 'consent.status': 'accepted', 'consent.version': 'import', 'consent.at': ctx.now });
    const update: Record<string, unknown> = { $set };
    // Guarding on the tags keeps a repeat (or a race) from adding the same tag twice.
    const filter: Record<string, unknown> = { _id: plan.member._id };
    if (plan.addTags.length) {
      update.$push = { tags: { $each: importTags(plan.addTags, ctx) } };
      filter['tags.tag'] = { $nin: plan.addTags };
    }
    const res = await Member.updateOne(filter, update);
    if (res.matchedCount) await syncMemberCounters(plan.member._id);
    if (res.matchedCount && plan.addTags.length) await ctx.tagged?.(plan.member._id, plan.addTags);
    return res.matchedCount ? 'updated' : 'retry';
  }
  return createMember(plan.values, ctx);
}

async function createMember(values: RowValues, ctx: WriteContext): Promise<'created' | 'retry'> {
  const { tags, marketingConsent, birthday, ...fields } = values;
  const doc: Record<string, unknown> = {
    ...fields,
    memberCode: (values.memberCode as string | undefined) ?? (await generateMemberCode()),
    status: 'imported',
    displayName: (values.displayName as string | undefined) ?? (values.name as string | undefined) ?? '',
    tags: Array.isArray(tags) ? importTags(tags, ctx) : [],
  };
  if (typeof birthday === 'string') Object.assign(doc, { birthday, birthMonth: Number(birthday.slice(5, 7)) });
  if (typeof marketingConsent === 'boolean') {
    doc.consent = marketingConsent
      ? { status: 'accepted', marketing: true, version: 'import', at: ctx.now }
      : { status: 'pending', marketing: false };
  }
  try {
    const created = await Member.create(doc);
    await syncMemberCounters(created._id);
    if (Array.isArray(tags) && tags.length) await ctx.tagged?.(created._id, tags);
    return 'created';
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return 'retry';
    throw err;
  }
}
