import {
  StampTemplateInputSchema,
  type StampRewardInput,
  type StampTemplateView,
} from '../../shared/stamp-template-input';
import { CouponTemplate } from '../../models/coupon-template.model';
import { StampCardTemplate, type StampCardTemplateDoc, type StampReward } from '../../models/stamp-card-template.model';
import { notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';

/**
 * Stamp card templates as the marketer designs them in the console (集點卡 page, #16.1). A save replaces the whole
 * design; cards already started keep the stamp count they began with (each card stores its own `stampsNeeded`).
 * Every check runs before anything is written: bad input changes nothing.
 */

export async function listStampTemplates(): Promise<StampTemplateView[]> {
  const rows = (await StampCardTemplate.find({}).sort({ createdAt: 1 }).lean()) as unknown as StampCardTemplateDoc[];
  return rows.map(presentStampTemplate);
}

export async function createStampTemplate(input: unknown, actor: string, now: Date): Promise<StampTemplateView> {
  const v = await validate(input, null);
  const doc = await StampCardTemplate.create({ ...v, createdAt: now, updatedAt: now, updatedBy: actor });
  return presentStampTemplate(doc.toObject() as unknown as StampCardTemplateDoc);
}

export async function updateStampTemplate(
  id: string,
  input: unknown,
  actor: string,
  now: Date,
): Promise<StampTemplateView> {
  if (!(await StampCardTemplate.exists({ _id: id }))) throw notFound('找不到這張集點卡。', 'stamp_template_not_found');
  const v = await validate(input, id);
  const doc = await StampCardTemplate.findOneAndUpdate(
    { _id: id },
    { $set: { ...v, updatedAt: now, updatedBy: actor } },
    { returnDocument: 'after' },
  ).lean();
  if (!doc) throw notFound('找不到這張集點卡。', 'stamp_template_not_found');
  return presentStampTemplate(doc as unknown as StampCardTemplateDoc);
}

/** Shape checks (the shared schema), then what needs the database: coupons that exist, a next card that exists. */
async function validate(input: unknown, selfId: string | null) {
  const v = parseOrThrow(StampTemplateInputSchema, input);
  const fields: Array<{ path: string; message: string }> = [];
  const rewards: Array<[string, StampRewardInput]> = [
    ['completionReward', v.completionReward],
    ...v.milestones.map((m, i) => [`milestones.${i}.reward`, m.reward] as [string, StampRewardInput]),
  ];
  const couponIds = rewards.flatMap(([, r]) => (r.kind === 'coupon' ? [r.couponTemplateId] : []));
  const active = new Set(
    (await CouponTemplate.find({ _id: { $in: couponIds }, status: 'active' }, { _id: 1 }).lean()).map((c) =>
      String(c._id),
    ),
  );
  for (const [path, r] of rewards)
    if (r.kind === 'coupon' && !active.has(r.couponTemplateId))
      fields.push({ path: `${path}.couponTemplateId`, message: '這張優惠券不存在或已停用，請重新選擇' });
  if (v.nextTemplateId && v.nextTemplateId !== selfId && !(await StampCardTemplate.exists({ _id: v.nextTemplateId })))
    fields.push({ path: 'nextTemplateId', message: '找不到下一張集點卡，請重新選擇' });
  if (fields.length) throw validationError(fields);
  return {
    ...v,
    validity: v.validity.mode === 'fixed_end' ? { ...v.validity, endsAt: new Date(v.validity.endsAt) } : v.validity,
  };
}

function presentReward(r: StampReward | null | undefined): StampRewardInput | null {
  if (!r) return null;
  if (r.kind === 'points') return { kind: 'points', points: r.points ?? 0 };
  return { kind: 'coupon', couponTemplateId: String(r.couponTemplateId ?? '') };
}

export function presentStampTemplate(t: StampCardTemplateDoc & { updatedAt?: Date; updatedBy?: string }) {
  const view: StampTemplateView = {
    id: String(t._id),
    name: t.name,
    status: t.status,
    stampsNeeded: t.stampsNeeded,
    earn: {
      rule: t.earn.rule,
      amountPerStamp: t.earn.amountPerStamp ?? null,
      dailyCap: t.earn.dailyCap ?? null,
      categories: t.earn.categories ?? [],
    },
    milestones: t.milestones.flatMap((m) => {
      const reward = presentReward(m.reward);
      return reward ? [{ at: m.at, reward }] : [];
    }),
    completionReward: presentReward(t.completionReward),
    validity: {
      mode: t.validity?.mode ?? 'none',
      days: t.validity?.days ?? null,
      endsAt: t.validity?.endsAt ? new Date(t.validity.endsAt).toISOString() : null,
    },
    nextTemplateId: t.nextTemplateId ? String(t.nextTemplateId) : null,
    manualDailyLimit: t.manualDailyLimit ?? 1,
    updatedAt: t.updatedAt ? new Date(t.updatedAt).toISOString() : null,
    updatedBy: t.updatedBy ?? null,
  };
  return view;
}
