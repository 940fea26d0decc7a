import type { CampaignStats as DomainCampaignStats } from '../../../domain/campaigns/campaign-stats.service';
import type { CampaignView as DomainCampaignView, estimateCampaign } from '../../../domain/campaigns/campaign.service';
import type { TestRecipientView as DomainTestRecipient } from '../../../domain/campaigns/test-recipients.service';
import type { BatchIssueResult, CouponTemplateView as DomainTemplateView } from '../../../domain/coupons';
import type { StoredPersonaScript as DomainStoredScript } from '../../../domain/persona/persona-script.service';
import type { PersonaScript as DomainPersonaScript } from '../../../domain/persona/persona-script.schema';
import type { ProgramSettings as DomainSettings } from '../../../domain/program/settings.service';
import type {
  ActiveCouponRow as DomainCouponRow,
  CampaignResultRow as DomainCampaignRow,
} from '../../../domain/reports/dashboard';
import type { FunnelReport as DomainFunnel, getMemberKpis } from '../../../domain/reports/funnel';
import type { RevenueReport as DomainRevenueReport } from '../../../domain/reports/revenue';
import type {
  RfmOverview as DomainRfmOverview,
  RfmRunSummary as DomainRfmRun,
} from '../../../domain/segments/rfm.service';
import type { SegmentView as DomainSegmentView } from '../../../domain/segments/segment.service';
import type {
  CampaignEstimate,
  CampaignPreview,
  CampaignPage,
  CampaignStats,
  CampaignView,
  CouponTemplateView,
  DashboardResponse,
  IssueResult,
  PersonaScriptResponse,
  ProgramSettings,
  RfmOverview,
  RfmRunSummary,
  SegmentView,
  StoredPersonaScript,
  TestRecipientWire,
} from '../../contracts/console';
import { toWire } from './wire';

/** Campaigns, segments, coupon templates, reports and settings as they travel. */

export function presentTestRecipient(recipient: DomainTestRecipient): TestRecipientWire {
  return toWire(recipient);
}

export function presentCampaign(campaign: DomainCampaignView): CampaignView {
  return toWire(campaign);
}

export function presentCampaignPage(page: {
  items: DomainCampaignView[];
  total: number;
  page: number;
  pageSize: number;
}): CampaignPage {
  return toWire(page);
}

export function presentCampaignStats(stats: DomainCampaignStats): CampaignStats {
  return toWire(stats);
}

export function presentCampaignPreview(preview: { variant: string | null; messages: object[] }): CampaignPreview {
  return { variant: preview.variant, messages: preview.messages.map((m) => ({ ...m })) };
}

export function presentEstimate(estimate: Awaited<ReturnType<typeof estimateCampaign>>): CampaignEstimate {
  return toWire(estimate);
}

export function presentSegment(segment: DomainSegmentView): SegmentView {
  return toWire(segment);
}

export function presentSegments(segments: DomainSegmentView[]): SegmentView[] {
  return toWire(segments);
}

export function presentRfmOverview(overview: DomainRfmOverview): RfmOverview {
  return toWire(overview);
}

export function presentRfmRun(summary: DomainRfmRun): RfmRunSummary {
  return toWire(summary);
}

export function presentTemplate(template: DomainTemplateView): CouponTemplateView {
  return toWire(template);
}

export function presentTemplates(templates: DomainTemplateView[]): CouponTemplateView[] {
  return toWire(templates);
}

export function presentIssueResult(result: BatchIssueResult): IssueResult {
  return toWire(result);
}

export function presentDashboard(d: {
  kpis: Awaited<ReturnType<typeof getMemberKpis>>;
  revenue: DomainRevenueReport;
  funnel: DomainFunnel;
  rfm: DomainRfmOverview;
  campaigns: DomainCampaignRow[];
  coupons: DomainCouponRow[];
}): DashboardResponse {
  return toWire(d);
}

export function presentProgramSettings(settings: DomainSettings): ProgramSettings {
  return toWire(settings);
}

export function presentPersonaScript(record: DomainStoredScript): StoredPersonaScript {
  return toWire(record);
}

export function presentPersonaScriptWithDefault(
  record: DomainStoredScript,
  defaultScript: DomainPersonaScript,
): PersonaScriptResponse {
  return toWire({ ...record, defaultScript });
}
