/**
 * The LINE Login ID-token check as domain code needs it (POST /oauth2/v2.1/verify). Implemented once in
 * server/line-login.ts; tests point that implementation at the LINE emulator, as they do the Messenger.
 */
export interface LineLogin {
  /** The LINE Login channel the LIFF app belongs to: the audience every accepted token must carry. */
  readonly channelId: string;
  /** Identifies the verifying service (its origin), so cached verifications never cross services. */
  readonly origin: string;
  /** Resolves LINE's claims for a token it accepts; throws LineLoginError otherwise. */
  verify(idToken: string): Promise<IdTokenClaims>;
}

/** Claims as LINE returns them; the domain checks them again (audience, expiry) before trusting any. */
export interface IdTokenClaims {
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
  name?: unknown;
  picture?: unknown;
}

/** `rejected`: LINE refused the token (invalid, expired, another channel). `unavailable`: LINE could not answer. */
export class LineLoginError extends Error {
  constructor(
    readonly kind: 'rejected' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'LineLoginError';
  }
}
