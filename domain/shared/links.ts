/**
 * The addresses the program hands to members (chat buttons, campaign messages, the card's own links). One port so
 * every surface builds them by the same rule; implemented once in server/links.ts, chosen by the configuration
 * (real LINE or the emulator).
 */
export interface Links {
  /**
   * The member card, optionally at one of its deep links (`coupons`, `coupons/<couponId>`, `points`, `referral`,
   * `profile`, `benefits` (會員權益, the FAQ's link); see liff-app/src/router.ts). A leading `/` is ignored.
   */
  card(path?: string): string;
  /** Where a visitor becomes a friend of the official account. */
  addFriend(): string;
  /** A chat with the official account with `text` typed in for the member to send (referral codes). */
  oaMessage(text: string): string;
  /** LINE's share sheet with the text filled in (friends pick who to send it to). */
  share(text: string): string;
  /** An absolute URL on this server (`server('')` is its origin), e.g. `server('/r/<linkId>')` for a tracked link. */
  server(path: string): string;
}
