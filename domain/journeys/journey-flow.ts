import type { JourneyStep } from './journey.schema';
import { waitEnd } from './journey-time';

/** Where a run goes next: the step to execute and when, or `null` when the journey is finished. */
export interface Placement {
  stepId: string | null;
  nextRunAt: Date | null;
}

/**
 * The placement of a run arriving at `index` at `at`: wait steps are not executed by the job, they only move the
 * time on (so a run sleeping through a wait costs nothing until it is due).
 */
export function placeAt(steps: JourneyStep[], index: number, at: Date, timeZone: string): Placement {
  let when = at;
  for (let i = index; i < steps.length; i++) {
    const step = steps[i];
    if (step.type !== 'wait') return { stepId: step.id, nextRunAt: when };
    when = waitEnd(when, step, timeZone);
  }
  return { stepId: null, nextRunAt: null };
}

/** The index after a step: the next in the list, or a branch's target (`end`: past the last step). */
export function nextIndex(steps: JourneyStep[], current: number, target?: string): number {
  if (target === undefined) return current + 1;
  if (target === 'end') return steps.length;
  const i = steps.findIndex((s) => s.id === target);
  return i < 0 ? steps.length : i;
}

/** Marketing journeys need marketing consent for every step; transactional ones as the program settings say. */
export function consentAllows(
  category: string,
  member: { consent?: { marketing?: boolean | null } | null },
  transactionalWithoutConsent: boolean,
): boolean {
  if (member.consent?.marketing) return true;
  return category === 'transactional' && transactionalWithoutConsent;
}
