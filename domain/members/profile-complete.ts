/** What "profile complete" reads of a member (pure: also used to compile segment rules). */
export interface PersonaCompletion {
  persona?: { completedAt?: Date | null } | null;
}

/**
 * "Profile complete", the one definition: the member has completed the persona questions once, in the chat or on
 * the card (`persona.completedAt` is set — the moment the completion points are granted; a question the member
 * skipped counts as answered, and starting the questions over does not undo it). The card invites to the profile
 * form until then, the console shows it, and the segment condition `personaCompleted` selects by the same field
 * (`profileCompleteFilter`), so a member the card calls complete is in the segment and the other way round.
 */
export function isProfileComplete(member: PersonaCompletion): boolean {
  return Boolean(member.persona?.completedAt);
}

/** The MongoDB condition over members of `isProfileComplete(member) === complete`. */
export function profileCompleteFilter(complete: boolean): Record<string, unknown> {
  return { 'persona.completedAt': complete ? { $ne: null } : null };
}
