import type { JobDefinition } from './job';

/** Every scheduled job of the product; the scheduler and `npm run job -- <name>` read this list. */
export const allJobs: JobDefinition[] = [];
