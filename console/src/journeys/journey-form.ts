import type {
  JourneyRequest,
  JourneyStepType,
  JourneyStepWire,
  JourneyTriggerType,
  JourneyTriggerWire,
  JourneyViewWire,
} from '../../../api/contracts/journeys';
import { fromLineMessage, toLineMessage, type EditorMessage } from '../campaigns/message-editor';

/** A step as the editor holds it: message steps keep the campaign editor's messages until saved. */
export type FormStep =
  | Exclude<JourneyStepWire, { type: 'message' }>
  | { id: string; type: 'message'; linkTracking?: 'link' | 'member'; editor: EditorMessage[] };

export type JourneyForm = Omit<JourneyRequest, 'steps'> & { steps: FormStep[] };

export const TRIGGER_TYPES: JourneyTriggerType[] = [
  'consent_accepted',
  'followed',
  'persona_completed',
  'first_purchase',
  'purchase',
  'tier_changed',
  'tag_changed',
  'segment',
  'inactive',
  'points_expiring',
  'coupon_expiring',
  'date_relative',
];

export const STEP_TYPES: JourneyStepType[] = ['message', 'wait', 'coupon', 'tags', 'points', 'branch', 'end'];

/** The trigger a type starts with when the marketer picks it. */
export function defaultTrigger(type: JourneyTriggerType): JourneyTriggerWire {
  switch (type) {
    case 'followed':
      return { type, include: 'both' };
    case 'purchase':
      return { type, minAmount: 0, category: null, storeId: null };
    case 'tier_changed':
      return { type, direction: 'up', tier: null };
    case 'tag_changed':
      return { type, change: 'added', tag: '' };
    case 'segment':
      return { type, audience: { type: 'segment', segmentId: '' } };
    case 'inactive':
      return { type, days: 60, basis: 'purchase' };
    case 'points_expiring':
    case 'coupon_expiring':
      return { type, days: 30 };
    case 'date_relative':
      return { type, date: 'birthday', offsetDays: -7 };
    default:
      return { type } as JourneyTriggerWire;
  }
}

/** A new step with an id not yet used in the journey (`message-2`, …). */
export function newStep(type: JourneyStepType, taken: string[]): FormStep {
  let n = 1;
  while (taken.includes(`${type}-${n}`)) n++;
  const id = `${type}-${n}`;
  switch (type) {
    case 'message':
      return { id, type, editor: [{ kind: 'text', text: '' }] };
    case 'wait':
      return { id, type, days: 1, hours: 0, minutes: 0, until: null };
    case 'coupon':
      return { id, type, templateId: '', notify: true };
    case 'tags':
      return { id, type, add: [], remove: [] };
    case 'points':
      return { id, type, points: 10 };
    case 'branch':
      return { id, type, condition: { kind: 'purchased' }, then: 'end', else: 'end' };
    default:
      return { id, type: 'end' };
  }
}

export function emptyJourney(): JourneyForm {
  return {
    name: '',
    description: '',
    category: 'marketing',
    trigger: { type: 'consent_accepted' },
    steps: [newStep('message', [])],
    goal: null,
    options: {},
    status: 'draft',
  };
}

export function formFromRequest(r: JourneyRequest): JourneyForm {
  return {
    ...r,
    steps: r.steps.map((s) =>
      s.type === 'message'
        ? { id: s.id, type: s.type, linkTracking: s.linkTracking, editor: s.messages.map(fromLineMessage) }
        : s,
    ),
  };
}

export function formFromView(v: JourneyViewWire): JourneyForm {
  const { name, description, category, trigger, steps, goal, options } = v;
  return formFromRequest({
    name,
    description,
    category: category as JourneyRequest['category'],
    trigger,
    steps,
    goal,
    options,
    status: v.status === 'draft' ? 'draft' : 'active',
  });
}

export function toRequest(f: JourneyForm, status: 'draft' | 'active'): JourneyRequest {
  return {
    ...f,
    status,
    steps: f.steps.map((s) =>
      s.type === 'message'
        ? { id: s.id, type: 'message', linkTracking: s.linkTracking, messages: s.editor.map(toLineMessage) }
        : s,
    ),
  };
}

/** The field errors of step `i` with its `steps.<i>.` prefix removed, for the step's own fields. */
export function stepErrors(errors: Record<string, string>, i: number): Record<string, string> {
  const prefix = `steps.${i}.`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  if (errors[`steps.${i}`]) out[''] = errors[`steps.${i}`];
  return out;
}

export const listOf = (text: string) =>
  text
    .split(/[,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);
