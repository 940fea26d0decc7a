import type { Types } from 'mongoose';
import type { SendingLimits } from '../campaigns/run-send.service';
import type { ProgramSettings } from '../program/settings.service';
import type { Clock } from '../shared/clock';
import type { ProgramContext } from '../shared/context';
import type { JourneyLean } from './journey-enter.service';
import type { JourneyStep } from './journey.schema';

/** The shapes the journeys engine passes between its parts (claim, steps, sends, moves). */

export type JourneyDeps = Pick<ProgramContext, 'messenger' | 'links' | 'logger' | 'timeZone'> & {
  clock: Clock;
  sending: SendingLimits;
  memberTokenSecret: string;
};

export interface TickResult {
  [k: string]: number;
  claimed: number;
  executed: number;
  sent: number;
  skipped: number;
  deferred: number;
  exited: number;
  completed: number;
  retried: number;
}

export interface MemberView {
  _id: Types.ObjectId;
  lineUserId?: string | null;
  status?: string | null;
  erasedAt?: Date | null;
  consent?: { marketing?: boolean | null } | null;
  tags?: Array<{ tag: string }>;
  displayName?: string | null;
}

export type RunLean = {
  _id: Types.ObjectId;
  journeyId: Types.ObjectId;
  memberId: Types.ObjectId;
  lineUserId?: string | null;
  stepId?: string | null;
  scheduledAt?: Date | null;
  enteredAt: Date;
  entryData?: Record<string, unknown> | null;
  pending?: { stepId?: string | null; batch?: string | null } | null;
  test?: boolean | null;
};

/** What one claimed batch is executed with. */
export interface TickContext {
  deps: JourneyDeps;
  now: Date;
  token: string;
  settings: ProgramSettings;
  result: TickResult;
}

/** A group of runs at the same step of the same journey (one multicast, one counter update). */
export interface StepGroup {
  journey: JourneyLean;
  step: JourneyStep;
  index: number;
  runs: RunLean[];
}
