/**
 * /api/console/stamps (#16.1): the stamp card template shape is in shared/ (the domain validates with it, the
 * console builds its form from it); the console reads it from here with the other contracts.
 */
export {
  ManualStampRequestSchema,
  StampRewardInputSchema,
  StampTemplateInputSchema,
  type StampRewardInput,
  type StampTemplateInput,
  type StampTemplateView,
} from '../../shared/stamp-template-input';
export type { StampCardView } from './member';
