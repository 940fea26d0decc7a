import type { Types } from 'mongoose';
import { Member, type TagSource } from '../../models/member.model';
import { activeJourneysFor, enterJourneys, type JourneyLean } from '../journeys/journey-enter.service';
import { moduleLogger, type Logger } from '../shared/logger';
import { addTags, removeTag } from './member.service';

/**
 * The one door for every edge that changes a member's tags (console, auto-reply rules, interest keywords, the
 * persona Q&A, journeys' own tag steps, imports): the tag change itself (member.service), then the "tag added" /
 * "tag removed" journey triggers for the tags that really changed. A tag the member already had (or did not have)
 * enters nothing, so repeating a change is harmless. Journey entry never fails the edge's own work. A bulk writer
 * that changes tags in its own atomic update (CSV import) announces them with `announceTagsAdded`, reading the tag
 * journeys once per batch (`tagJourneys`).
 */
export interface TagChangeContext {
  now: Date;
  timeZone: string;
  logger?: Logger;
}

type MemberRef = Types.ObjectId | string;
const log = moduleLogger('member-tags');

async function announce(
  ctx: TagChangeContext,
  memberId: MemberRef,
  tags: string[],
  change: 'added' | 'removed',
  journeys?: JourneyLean[],
) {
  for (const tag of tags)
    await enterJourneys(
      { now: ctx.now, timeZone: ctx.timeZone, logger: ctx.logger ?? log },
      { type: 'tag_changed', memberId: String(memberId), tag, change },
      journeys,
    );
}

/** The active journeys a tag change may start, read once for a batch of members (see `announceTagsAdded`). */
export function tagJourneys(): Promise<JourneyLean[]> {
  return activeJourneysFor('tag_changed');
}

/**
 * Enters the "tag added" journeys for tags a bulk writer already added in its own update (only the tags that were
 * really new). With `journeys` from `tagJourneys`, a tag no journey listens to costs no database round trip.
 */
export async function announceTagsAdded(
  ctx: TagChangeContext,
  memberId: MemberRef,
  tags: string[],
  journeys?: JourneyLean[],
): Promise<void> {
  const listened = journeys
    ? tags.filter((tag) =>
        journeys.some((j) => j.trigger.type === 'tag_changed' && j.trigger.change === 'added' && j.trigger.tag === tag),
      )
    : tags;
  await announce(ctx, memberId, listened, 'added', journeys);
}

/** Adds tags (keeping their source) and enters the "tag added" journeys. Returns the tags actually added. */
export async function tagMember(
  ctx: TagChangeContext,
  memberId: MemberRef,
  tags: string[],
  source: TagSource,
  actor?: string,
): Promise<string[]> {
  const added = await addTags(memberId, tags, source, actor, ctx.now);
  await announce(ctx, memberId, added, 'added');
  return added;
}

/** Removes a tag whatever its source and enters the "tag removed" journeys. Returns whether the member had it. */
export async function untagMember(ctx: TagChangeContext, memberId: MemberRef, tag: string): Promise<boolean> {
  const removed = await removeTag(memberId, tag);
  if (removed) await announce(ctx, memberId, [tag], 'removed');
  return removed;
}

/** Removes tags that came from `source` only (persona answers replace their own), announcing each one removed. */
export async function untagFromSource(
  ctx: TagChangeContext,
  memberId: MemberRef,
  tags: string[],
  source: TagSource,
): Promise<void> {
  const gone: string[] = [];
  for (const tag of [...new Set(tags)])
    if (
      (
        await Member.updateOne(
          { _id: memberId, tags: { $elemMatch: { tag, source } } },
          { $pull: { tags: { tag, source } } },
        )
      ).modifiedCount === 1
    )
      gone.push(tag);
  await announce(ctx, memberId, gone, 'removed');
}
