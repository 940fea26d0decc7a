import type { CampaignAudience, CampaignMessage, SegmentGroup } from './console-programs';
import type { IsoInstant } from './console-views';

/**
 * The wire contract of /api/console/journeys (issue #15). The server validates journeys with the domain's zod schema
 * (domain/journeys/journey.schema.ts) and answers field errors keyed by path (`steps.2.messages.0.text`); these are
 * the shapes as they travel, checked against the domain's results where the routes answer.
 */

export type JourneyTriggerWire =
  | { type: 'followed'; include?: 'new' | 'returning' | 'both' }
  | { type: 'consent_accepted' }
  | { type: 'persona_completed' }
  | { type: 'first_purchase' }
  | { type: 'purchase'; minAmount?: number; category?: string | null; storeId?: string | null }
  | { type: 'tier_changed'; direction?: 'up' | 'down' | 'any'; tier?: string | null }
  | { type: 'tag_changed'; change: 'added' | 'removed'; tag: string }
  | { type: 'segment'; audience: CampaignAudience }
  | { type: 'inactive'; days: number; basis?: 'purchase' | 'interaction' }
  | { type: 'points_expiring'; days: number }
  | { type: 'coupon_expiring'; days: number }
  | { type: 'date_relative'; date: 'birthday' | 'anniversary'; offsetDays: number };
export type JourneyTriggerType = JourneyTriggerWire['type'];

export type BranchConditionWire =
  | { kind: 'segment'; rule: SegmentGroup }
  | { kind: 'tag'; tag: string }
  | { kind: 'clicked'; stepId: string }
  | { kind: 'purchased' }
  | { kind: 'redeemed'; stepId: string };

export type JourneyStepWire =
  | {
      id: string;
      type: 'wait';
      days?: number;
      hours?: number;
      minutes?: number;
      until?: { weekday: number | null; time: string } | null;
    }
  | { id: string; type: 'message'; messages: CampaignMessage[]; linkTracking?: 'link' | 'member' }
  | { id: string; type: 'coupon'; templateId: string; notify?: boolean }
  | { id: string; type: 'tags'; add?: string[]; remove?: string[] }
  | { id: string; type: 'points'; points: number }
  | { id: string; type: 'credit'; amount: number; validDays: number }
  | { id: string; type: 'branch'; condition: BranchConditionWire; then: string; else: string }
  | { id: string; type: 'end' };
export type JourneyStepType = JourneyStepWire['type'];

export type JourneyGoalWire = { kind: 'purchase'; minAmount?: number } | { kind: 'redeem' };

export interface JourneyOptionsWire {
  frequencyCap?: { maxPerWindow: number; windowDays: number } | null;
  quietHours?: { enabled: boolean; start: string; end: string };
  reentryAfterDays?: number | null;
  exitOnGoal?: boolean;
  attributionDays?: number;
}

/** The body of POST /journeys and PUT /journeys/:id (omitted fields take the server's defaults). */
export interface JourneyRequest {
  name: string;
  description?: string;
  category?: 'marketing' | 'transactional';
  trigger: JourneyTriggerWire;
  steps: JourneyStepWire[];
  goal?: JourneyGoalWire | null;
  options?: JourneyOptionsWire;
  status?: 'draft' | 'active';
}

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface JourneyCounts {
  entered: number;
  active: number;
  completed: number;
  goal: number;
  exited: number;
  revenue: number;
}

export interface JourneyListItemWire {
  id: string;
  name: string;
  status: string;
  category: string;
  triggerType: string;
  template: string | null;
  stats: JourneyCounts;
  updatedAt: IsoInstant | null;
}

export interface JourneyViewWire extends JourneyListItemWire {
  description: string;
  trigger: JourneyTriggerWire;
  steps: JourneyStepWire[];
  goal: JourneyGoalWire | null;
  options: JourneyOptionsWire;
}

export interface JourneyListResponse {
  journeys: JourneyListItemWire[];
}
export interface JourneyResponse {
  journey: JourneyViewWire;
}

/** A template the console offers for "create from a template": its key and the journey it fills the editor with. */
export interface JourneyTemplateWire {
  key: string;
  journey: JourneyRequest;
}
export interface JourneyTemplatesResponse {
  templates: JourneyTemplateWire[];
}

/**
 * LINE's per-unit figures of one message step (the insight aggregation API, last 30 days). null: LINE gave none —
 * fewer than 20 people (LINE's privacy threshold) or LINE could not be asked (`available: false`).
 */
export interface StepLineFigures {
  available: boolean;
  uniqueImpression: number | null;
  uniqueClick: number | null;
}

/** Per-step figures: ours from the journey's counters and tracked links, LINE's from its per-unit statistics. */
export interface JourneyStepStats {
  stepId: string;
  type: JourneyStepType;
  entered: number;
  /** Members LINE accepted the step's message for (delivered, as far as LINE tells a sender). */
  sent: number;
  skipped: number;
  failed: number;
  /** Opens of the step's tracked links. */
  clicked: number;
  /** Goal conversions attributed to this step (a purchase within the attribution window after its send). */
  conversions: number;
  revenue: number;
  /** Message steps only; null for the others. */
  line: StepLineFigures | null;
}

/** GET /journeys/:id/stats */
export interface JourneyStatsResponse {
  journeyId: string;
  totals: JourneyCounts;
  steps: JourneyStepStats[];
  /** LINE's period for its figures (`yyyyMMdd`, Japan's calendar). */
  linePeriod: { from: string; to: string };
}

export interface JourneyDeleteResponse {
  exited: number;
}
export interface JourneyTestRunResponse {
  runId: string;
}
export interface WouldEnterResponse {
  count: number;
}

/** POST /api/console/journeys/preview-step: a message step's messages as the customer will read them. */
export interface JourneyStepPreviewResponse {
  messages: Array<Record<string, unknown>>;
}
