import type { JobDefinition } from './job';
import { birthdayJob } from './birthday.job';
import { campaignDispatchJob } from './campaign-dispatch.job';
import { rfmJob } from './rfm.job';
import { pointsExpiryJob } from './points-expiry.job';
import { tierReviewJob } from './tier-review.job';
import { tierWarningJob } from './tier-warning.job';
import { surveyJob } from './survey.job';
import { interactionsRetentionJob } from './interactions-retention.job';
import { richMenuReconcileJob } from './richmenu-reconcile.job';
import { journeysJob } from './journeys.job';
import { stampsExpiryJob } from './stamps-expiry.job';
import { creditExpiryJob } from './credit-expiry.job';
import { affinityJob } from './affinity.job';

/** Every scheduled job of the product; the scheduler and `npm run job -- <name>` read this list. */
export const allJobs: JobDefinition[] = [
  campaignDispatchJob,
  birthdayJob,
  rfmJob,
  pointsExpiryJob,
  tierReviewJob,
  tierWarningJob,
  surveyJob,
  interactionsRetentionJob,
  richMenuReconcileJob,
  journeysJob,
  stampsExpiryJob,
  creditExpiryJob,
  affinityJob,
];
