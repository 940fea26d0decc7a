import type { JobDefinition } from './job';
import { birthdayJob } from './birthday.job';
import { campaignDispatchJob } from './campaign-dispatch.job';
import { rfmJob } from './rfm.job';

/** Every scheduled job of the product; the scheduler and `npm run job -- <name>` read this list. */
export const allJobs: JobDefinition[] = [campaignDispatchJob, birthdayJob, rfmJob];
