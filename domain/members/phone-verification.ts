/**
 * Proving a member owns the phone number they typed (#16.6) is a later, pluggable step: a one-time code sent by
 * SMS. This is the port a provider adapter (e.g. a Taiwan SMS gateway) implements, composed in server/app.ts like
 * the Messenger; there is deliberately no fake provider. Until one is configured, a phone a LINE member gives is
 * stored as *unverified*, and a match with an imported record is only ever *proposed* for the staff's merge.
 *
 * Contract for an implementation:
 * - `sendCode` delivers a fresh code to a normalised Taiwan mobile (09xxxxxxxx) and returns an opaque challenge id;
 *   it is idempotent by `requestKey` (a retried request does not send a second SMS) and rate-limited per phone.
 * - `checkCode` answers whether `code` matches the challenge, at most a few attempts, before `expiresAt`.
 * - Neither logs the phone number or the code (logs carry no phone numbers).
 */
export interface PhoneVerifier {
  sendCode(input: { phone: string; requestKey: string; now: Date }): Promise<{ challengeId: string; expiresAt: Date }>;
  checkCode(input: { challengeId: string; code: string; now: Date }): Promise<'verified' | 'wrong_code' | 'expired'>;
}
