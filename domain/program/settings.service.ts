import { Settings } from '../../models/settings.model';
import { CouponTemplate } from '../../models/coupon-template.model';
import { badRequest } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { moduleLogger } from '../shared/logger';
import {
  DEFAULT_PROGRAM_SETTINGS,
  ProgramSettingsSchema,
  type ProgramSettings,
  type ProgramSettingsPatch,
} from './program-settings.schema';

export type { ProgramSettings, ProgramSettingsPatch } from './program-settings.schema';
export { DEFAULT_PROGRAM_SETTINGS } from './program-settings.schema';

const KEY = 'program';
const log = moduleLogger('program-settings');

/**
 * The current program settings, defaults filled in. Read from the database on every call (one indexed read):
 * several instances may run, and a marketer's change must apply to the next purchase everywhere.
 */
export async function getProgramSettings(): Promise<ProgramSettings> {
  const doc = await Settings.findOne({ key: KEY }).lean();
  if (!doc) return structuredClone(DEFAULT_PROGRAM_SETTINGS);
  const parsed = ProgramSettingsSchema.safeParse(doc.value);
  if (parsed.success) return parsed.data;
  // A stored document that no longer validates (e.g. written by an older version) must not stop purchases.
  log.error({ issues: parsed.error.issues.slice(0, 5) }, 'stored program settings are invalid; using defaults');
  return structuredClone(DEFAULT_PROGRAM_SETTINGS);
}

/**
 * Merges `patch` into the current settings section by section (tiers are replaced whole), validates the result,
 * checks referenced coupon templates exist, and stores it. Bad input → 400 with field errors, nothing stored.
 */
export async function updateProgramSettings(
  patch: ProgramSettingsPatch | unknown,
  actor: string,
): Promise<ProgramSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw badRequest('validation_failed', '設定內容必須是物件。');
  const current = await getProgramSettings();
  const merged: Record<string, unknown> = { ...current };
  for (const [section, value] of Object.entries(patch as Record<string, unknown>)) {
    const base = (current as Record<string, unknown>)[section];
    merged[section] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  const next = parseOrThrow(ProgramSettingsSchema.strict(), merged);
  await assertTemplatesExist(next);
  await Settings.findOneAndUpdate(
    { key: KEY },
    { $set: { value: next, updatedBy: actor }, $inc: { version: 1 } },
    { upsert: true, returnDocument: 'after' },
  );
  log.info({ actor, sections: Object.keys(patch as object) }, 'program settings updated');
  return next;
}

async function assertTemplatesExist(s: ProgramSettings): Promise<void> {
  const refs: Array<{ path: string; id: string }> = [];
  s.tiers.forEach((t, i) =>
    t.couponTemplateIds.forEach((id, j) => refs.push({ path: `tiers.${i}.couponTemplateIds.${j}`, id })),
  );
  if (s.referral.referrerReward.couponTemplateId)
    refs.push({ path: 'referral.referrerReward.couponTemplateId', id: s.referral.referrerReward.couponTemplateId });
  if (s.referral.refereeReward.couponTemplateId)
    refs.push({ path: 'referral.refereeReward.couponTemplateId', id: s.referral.refereeReward.couponTemplateId });
  if (s.birthday.couponTemplateId) refs.push({ path: 'birthday.couponTemplateId', id: s.birthday.couponTemplateId });
  if (!refs.length) return;
  const found = await CouponTemplate.find({ _id: { $in: refs.map((r) => r.id) } }, { _id: 1 }).lean();
  const ids = new Set(found.map((t) => String(t._id)));
  const missing = refs.filter((r) => !ids.has(r.id));
  if (missing.length) {
    throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
      fields: missing.map((m) => ({ path: m.path, message: '找不到這個優惠券模板' })),
    });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
