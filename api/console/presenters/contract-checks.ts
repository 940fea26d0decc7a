import type {
  CampaignAudience as DomainAudience,
  CampaignInput,
  CampaignMessage as DomainMessage,
  CampaignOptions as DomainOptions,
} from '../../../domain/campaigns/campaign.schema';
import type { CouponTemplateInput } from '../../../domain/coupons/coupon-template.service';
import type { PersonaScript as DomainPersonaScript } from '../../../domain/persona/persona-script.schema';
import type {
  ProgramSettings as DomainSettings,
  ProgramSettingsPatch as DomainSettingsPatch,
} from '../../../domain/program/settings.service';
import type { RfmSettings as DomainRfmSettings } from '../../../domain/segments/rfm.service';
import type {
  SegmentCondition as DomainCondition,
  SegmentGroup as DomainGroup,
} from '../../../domain/segments/rule.schema';
import type { SegmentInput } from '../../../domain/segments/segment.service';
import type { Permission as DomainPermission } from '../../../domain/staff/roles';
import type { CAMPAIGN_STATUSES } from '../../../models/campaign.model';
import type { CONSOLE_ROLES as MODEL_ROLES } from '../../../models/console-user.model';
import type {
  CampaignAudience,
  CampaignListQuery,
  CampaignMessage,
  CampaignOptions,
  CampaignRequest,
  CampaignStatus,
  ConsoleRole,
  CouponTemplateRequest,
  Permission,
  PersonaScript,
  ProgramSettings,
  ProgramSettingsPatch,
  RfmSettings,
  SegmentCondition,
  SegmentGroup,
  SegmentRequest,
} from '../../contracts/console';
import type { z } from 'zod';
import type { FaqInputSchema, RuleInputSchema } from '../../../domain/conversation/conversation.schema';
import type { FaqRequest, RuleRequest } from '../../contracts/conversation';
import type { Wire } from './wire';

/**
 * Compile-time checks that the console contract (which may import only zod and shared/) says what the domain's
 * schemas and enums say. Nothing runs here: a drift on either side fails `tsc`, naming the line below.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Domain, Sent> = [Sent] extends [Domain] ? true : false;
type Check<T extends true> = T;

export type ContractChecks = [
  Check<Same<ConsoleRole, (typeof MODEL_ROLES)[number]>>,
  Check<Same<Permission, DomainPermission>>,
  Check<Same<CampaignStatus, (typeof CAMPAIGN_STATUSES)[number]>>,
  Check<Same<NonNullable<CampaignListQuery['status']>, CampaignStatus>>,
  Check<Same<SegmentCondition, DomainCondition>>,
  Check<Same<SegmentGroup, DomainGroup>>,
  Check<Same<PersonaScript, DomainPersonaScript>>,
  Check<Same<ProgramSettings, DomainSettings>>,
  Check<Same<RfmSettings, DomainRfmSettings>>,
  Check<Same<CampaignMessage, DomainMessage>>,
  Check<Same<CampaignAudience, DomainAudience>>,
  Check<Same<CampaignOptions, Wire<DomainOptions>>>,
  // What the console sends is what the server's schemas take.
  Check<Accepts<CampaignInput, CampaignRequest>>,
  Check<Accepts<SegmentInput, SegmentRequest>>,
  Check<Accepts<Partial<SegmentInput>, Partial<SegmentRequest>>>,
  Check<Accepts<CouponTemplateInput, CouponTemplateRequest>>,
  Check<Accepts<DomainSettingsPatch, ProgramSettingsPatch>>,
  Check<Accepts<z.input<typeof FaqInputSchema>, FaqRequest>>,
  Check<Accepts<z.input<typeof RuleInputSchema>, RuleRequest>>,
];
