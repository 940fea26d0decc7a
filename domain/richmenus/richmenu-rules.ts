import type { MenuRule } from './richmenu.schema';

/** What the state rules look at: enough of a member to decide without further reads. */
export interface MemberState {
  consentStatus: 'pending' | 'accepted' | 'declined';
  tierCode: string;
  tags: string[];
  /** Segments the member is in (ids), known at the nightly run; undefined = not evaluated. */
  segmentIds?: string[];
}

export interface RuledMenu {
  id: string;
  rule: MenuRule;
  /** Only published menus can be linked. */
  published: boolean;
}

/** Whether the rule's schedule covers `now` (from inclusive, to exclusive); no dates = always. */
export function inSchedule(rule: Pick<MenuRule, 'from' | 'to'>, now: Date): boolean {
  if (rule.from && now < rule.from) return false;
  if (rule.to && now >= rule.to) return false;
  return true;
}

/**
 * Whether a rule applies. "Member" means the data notice was accepted; a member who declined keeps the
 * not-yet-member menu (personalised menus need the consent). Segment rules apply only where the segments were
 * evaluated (the nightly run); elsewhere they are skipped, so an event never wrongly drops a segment menu.
 */
export function ruleMatches(rule: MenuRule, s: MemberState): boolean | 'unknown' {
  const member = s.consentStatus === 'accepted';
  switch (rule.kind) {
    case 'none':
      return false;
    case 'pending':
      return !member;
    case 'member':
      return member;
    case 'tier':
      return member && s.tierCode === rule.value;
    case 'tag':
      return member && s.tags.includes(rule.value ?? '');
    case 'segment':
      if (!member) return false;
      return s.segmentIds ? s.segmentIds.includes(rule.value ?? '') : 'unknown';
  }
}

/**
 * The menu a member should see: the first published, in-schedule menu whose rule matches, lowest priority first
 * (ties by id for a stable order). Null = none of ours (LINE shows the default menu). `current` is what the
 * member has now: when an unevaluated segment rule comes first and the member already has that menu, it stays.
 */
export function chooseMenu(menus: RuledMenu[], s: MemberState, now: Date, current?: string | null): string | null {
  const ordered = [...menus].sort((a, b) => a.rule.priority - b.rule.priority || a.id.localeCompare(b.id));
  for (const m of ordered) {
    if (!m.published || !inSchedule(m.rule, now)) continue;
    const hit = ruleMatches(m.rule, s);
    if (hit === 'unknown') {
      if (current === m.id) return m.id;
      continue;
    }
    if (hit) return m.id;
  }
  return null;
}
