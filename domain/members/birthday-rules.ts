/**
 * Who may write a member's birthday. The birthday gift made it worth changing on demand (set it to today, collect
 * the gift), so the member sets it once, on the card or in the chat; after that only staff change it (console
 * member page, audited). Every write stamps `birthdaySetAt`, and the birthday job gives no gift for a birthday set
 * or changed less than 30 days before (domain/campaigns/birthday.service.ts).
 */

/** Shown on the card (and returned by the API) when a member tries to change a birthday already set. */
export const BIRTHDAY_LOCKED_TEXT = '生日設定後就不能自行修改囉，如需更改請洽門市人員。';

/** Shown next to an empty birthday on the card, before the member sets it. */
export const BIRTHDAY_SET_ONCE_TEXT = '生日設定後就不能自行修改，請確認日期正確再儲存。';

/**
 * Filters a member-side write (`set`/`unset` of member paths) against the stored birthday: the first birthday goes
 * through with `birthdaySetAt`; a different one, or clearing it, is `locked` and removed from the write.
 */
export function memberBirthdayWrite(
  current: string | null | undefined,
  write: { set: Record<string, unknown>; unset: string[] },
  now: Date,
): { set: Record<string, unknown>; unset: string[]; locked: boolean } {
  const setsBirthday = typeof write.set.birthday === 'string';
  const clears = write.unset.includes('birthday');
  if (!setsBirthday && !clears) return { ...write, locked: false };
  if (!current)
    return setsBirthday
      ? { set: { ...write.set, birthdaySetAt: now }, unset: write.unset, locked: false }
      : { ...write, locked: false };
  if (setsBirthday && write.set.birthday === current) return { ...write, locked: false };
  const set = Object.fromEntries(Object.entries(write.set).filter(([k]) => k !== 'birthday' && k !== 'birthMonth'));
  return { set, unset: write.unset.filter((k) => k !== 'birthday' && k !== 'birthMonth'), locked: true };
}
