import type { JourneyInput } from '../../../domain/journeys/journey.schema';
import type { JourneyStats } from '../../../domain/journeys/journey-stats.service';
import type { JourneyRequest, JourneyStatsResponse } from '../../contracts/journeys';

/**
 * Compile-time checks of the journeys contract (api/contracts/journeys.ts) against the domain's schema: what the
 * console sends is what the server's schema takes, and the figures it reads are the ones the domain computes.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Domain, Sent> = [Sent] extends [Domain] ? true : false;
type Check<T extends true> = T;

export type JourneyContractChecks = [
  Check<Accepts<JourneyInput, JourneyRequest>>,
  Check<Same<JourneyStatsResponse, JourneyStats>>,
];
