import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { recordInteraction } from '../interactions/interaction.service';
import { conflict, notFound } from '../shared/errors';
import { maskPhone } from '../shared/phone';
import { isObjectId } from '../../shared/ids';

/**
 * 「可能是同一人」 (#16.6): LINE members who gave a phone that an imported record has (member-phone.service.ts).
 * Staff decide: 合併 runs the existing merge (member-merge.service.ts settles the proposal in its phone step), or
 * 不是同一人 dismisses it. Phones leave here masked, like every staff view.
 */
export interface PhoneProposal {
  memberId: string;
  memberCode: string;
  displayName: string;
  phoneMasked: string;
  at: Date;
  imported: { id: string; memberCode: string; name: string | null; phoneMasked: string; pointsBalance: number } | null;
}

const PROPOSED = { 'phoneClaim.status': 'proposed', erasedAt: null } as const;

/** The open proposals, newest first (index `phoneClaim.status_1_phoneClaim.at_-1`), with the imported records. */
export async function listPhoneProposals(limit = 50): Promise<{ total: number; items: PhoneProposal[] }> {
  const [total, docs] = await Promise.all([
    Member.countDocuments(PROPOSED),
    Member.find(PROPOSED, { memberCode: 1, displayName: 1, phoneClaim: 1 })
      .sort({ 'phoneClaim.at': -1 })
      .limit(limit)
      .lean(),
  ]);
  const importedIds = docs.map((d) => d.phoneClaim?.importedId).filter((id): id is Types.ObjectId => Boolean(id));
  const imported = await Member.find(
    { _id: { $in: importedIds } },
    { memberCode: 1, name: 1, phone: 1, pointsBalance: 1, mergedInto: 1 },
  ).lean();
  const byId = new Map(imported.map((m) => [String(m._id), m]));
  const items = docs.map((d): PhoneProposal => {
    const m = byId.get(String(d.phoneClaim?.importedId));
    return {
      memberId: String(d._id),
      memberCode: d.memberCode,
      displayName: d.displayName ?? '',
      phoneMasked: maskPhone(d.phoneClaim?.phone),
      at: d.phoneClaim?.at ?? new Date(0),
      imported: m
        ? {
            id: String(m._id),
            memberCode: m.memberCode,
            name: m.name ?? null,
            phoneMasked: maskPhone(m.phone),
            pointsBalance: m.pointsBalance ?? 0,
          }
        : null,
    };
  });
  return { total, items };
}

/** 不是同一人: the proposal is closed; the member keeps the number as an unverified claim, never merged. */
export async function dismissPhoneProposal(input: { memberId: string; actor: string; now: Date }): Promise<void> {
  if (!isObjectId(input.memberId)) throw notFound('找不到這位會員。', 'member_not_found');
  const res = await Member.updateOne(
    { _id: input.memberId, 'phoneClaim.status': 'proposed' },
    {
      $set: {
        'phoneClaim.status': 'dismissed',
        'phoneClaim.decidedAt': input.now,
        'phoneClaim.decidedBy': input.actor,
      },
    },
  );
  if (res.matchedCount === 0) {
    const exists = await Member.exists({ _id: input.memberId });
    if (!exists) throw notFound('找不到這位會員。', 'member_not_found');
    throw conflict('proposal_closed', '這筆「可能是同一人」已經處理過了。');
  }
  await recordInteraction({
    memberId: input.memberId,
    type: 'event',
    channel: 'console',
    at: input.now,
    summary: '門市人員確認：與匯入的會員資料不是同一人',
    refs: { actor: input.actor },
  });
}

/** Called by the merge once the imported record's phone has moved: the proposal between the two is done. */
export async function settlePhoneProposal(targetId: Types.ObjectId, sourceId: Types.ObjectId): Promise<void> {
  await Member.updateOne({ _id: targetId, 'phoneClaim.importedId': sourceId }, { $unset: { phoneClaim: 1 } });
}
