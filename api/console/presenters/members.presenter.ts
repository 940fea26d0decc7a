import type { CouponView as DomainCouponView } from '../../../domain/coupons';
import type { RedemptionView as DomainRedemption } from '../../../domain/coupons/coupon-redemption.service';
import type { CounterRedeemResult as DomainCounterRedemption } from '../../../domain/counter/counter-redeem.service';
import type {
  ImportJobView as DomainImportJob,
  ImportPreviewRow as DomainPreviewRow,
} from '../../../domain/imports/import-job.presenter';
import type {
  CounterLookup as DomainCounterLookup,
  CounterMember as DomainCounterMember,
} from '../../../domain/members/counter-lookup.service';
import type { MemberDetail as DomainMemberDetail } from '../../../domain/members/member-detail.service';
import type {
  MergeMemberSummary as DomainMergeSummary,
  MergePreview as DomainMergePreview,
  MergeResult as DomainMergeResult,
} from '../../../domain/members/member-merge.service';
import type { PhoneProposal as DomainPhoneProposal } from '../../../domain/members/member-phone-proposals.service';
import type { MemberNoteView as DomainNote } from '../../../domain/members/member-note.service';
import type { MemberListRow as DomainMemberRow } from '../../../domain/members/member-search.service';
import type { PointsHistoryPage as DomainPointsPage, PointsResult } from '../../../domain/points/points.service';
import type { PurchaseResult as DomainPurchase } from '../../../domain/purchases/purchase.service';
import type {
  CounterLookup,
  CounterMember,
  CouponView,
  ImportJobView,
  ImportPreviewRow,
  MemberDetail,
  MemberNoteView,
  MemberPage,
  MergeMemberSummary,
  MergePreview,
  MergeResult,
  PhoneProposalList,
  PointsAdjustResult,
  PointsHistoryPage,
  PurchaseResult,
  RedemptionView,
  CounterRedeemResult,
  TimelinePage,
} from '../../contracts/console';
import { toWire } from './wire';

/** Members, their ledger and notes, imports and the counter as they travel. */

export function presentMemberPage(page: {
  rows: DomainMemberRow[];
  total: number;
  page: number;
  pageSize: number;
}): MemberPage {
  return toWire(page);
}

export function presentMemberDetail(detail: DomainMemberDetail): MemberDetail {
  return toWire(detail);
}

export function presentNote(note: DomainNote): MemberNoteView {
  return toWire(note);
}

export function presentNotes(notes: DomainNote[]): MemberNoteView[] {
  return toWire(notes);
}

export function presentTimeline(page: {
  items: Array<{
    _id: unknown;
    type: string;
    channel: string;
    summary: string;
    at: Date;
    refs?: Record<string, unknown> | null;
  }>;
  nextCursor: string | null;
}): TimelinePage {
  return toWire({
    items: page.items.map((i) => ({
      id: String(i._id),
      type: i.type,
      channel: i.channel,
      summary: i.summary,
      at: i.at,
      refs: i.refs ?? {},
    })),
    nextCursor: page.nextCursor,
  });
}

export function presentPointsHistory(page: DomainPointsPage): PointsHistoryPage {
  return toWire(page);
}

export function presentPointsAdjustment(result: PointsResult): PointsAdjustResult {
  return toWire(result);
}

export function presentMergeCandidates(items: DomainMergeSummary[]): MergeMemberSummary[] {
  return toWire(items);
}

export function presentMergePreview(preview: DomainMergePreview): MergePreview {
  return toWire(preview);
}

export function presentPhoneProposals(list: { total: number; items: DomainPhoneProposal[] }): PhoneProposalList {
  return toWire(list);
}

export function presentMergeResult(result: DomainMergeResult): MergeResult {
  return toWire(result);
}

export function presentImportJob(job: DomainImportJob): ImportJobView {
  return toWire(job);
}

export function presentImportJobs(jobs: DomainImportJob[]): ImportJobView[] {
  return toWire(jobs);
}

export function presentImportValidation(result: { job: DomainImportJob; preview: DomainPreviewRow[] }): {
  job: ImportJobView;
  preview: ImportPreviewRow[];
} {
  return toWire(result);
}

export function presentCounterLookup(lookup: DomainCounterLookup): CounterLookup {
  return toWire(lookup);
}

export function presentCounterMember(member: DomainCounterMember): CounterMember {
  return toWire(member);
}

export function presentCoupon(coupon: DomainCouponView): CouponView {
  return toWire(coupon);
}

export function presentRedemption(result: DomainRedemption): RedemptionView {
  return toWire(result);
}

export function presentCounterRedemption(result: DomainCounterRedemption): CounterRedeemResult {
  return toWire(result);
}

export function presentPurchase(result: DomainPurchase): PurchaseResult {
  return toWire(result);
}
