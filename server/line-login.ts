import { type IdTokenClaims, type LineLogin, LineLoginError } from '../domain/auth/line-login';
import { moduleLogger } from '../domain/shared/logger';

const log = moduleLogger('line-login');
const VERIFY_TIMEOUT_MS = 5000;

/** The LineLogin port over LINE Login's HTTP API (real LINE, or the emulator's endpoint in local mode). */
export function createLineLogin(opts: { baseURL: string; channelId: string }): LineLogin {
  const origin = opts.baseURL.replace(/\/$/, '');
  return {
    channelId: opts.channelId,
    origin,
    async verify(idToken) {
      let res: Response;
      try {
        res = await fetch(`${origin}/oauth2/v2.1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ id_token: idToken, client_id: opts.channelId }).toString(),
          signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
        });
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'LINE Login verify unreachable');
        throw new LineLoginError('unavailable', 'LINE Login verify unreachable');
      }
      // LINE answers 400 for invalid/expired/wrong-audience tokens; anything else unexpected is an outage, not the user's fault.
      if (res.status === 400 || res.status === 401) {
        const body = (await res.json().catch(() => ({}))) as { error_description?: string };
        log.debug({ reason: body.error_description }, 'ID token rejected by LINE Login');
        throw new LineLoginError('rejected', 'ID token rejected');
      }
      if (!res.ok) {
        log.warn({ status: res.status }, 'LINE Login verify failed');
        throw new LineLoginError('unavailable', `LINE Login verify failed (${res.status})`);
      }
      return (await res.json()) as IdTokenClaims;
    },
  };
}
