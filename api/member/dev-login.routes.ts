import { Router } from 'express';
import { DevTokenRequestSchema, type DevTokenResponse, type DevUser } from '../contracts/member';
import { AppError } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';

/**
 * Local mode only (mounted when the server runs the LINE emulator; never in production): lets the LIFF page in
 * mock mode act as an emulated LINE user. The token comes from the emulator and is verified by the normal auth path
 * against the emulator's /oauth2/v2.1/verify, exactly like a real LIFF token against LINE.
 */
export function createDevLoginRouter(opts: { emulatorBaseURL: string; liffChannelId: string }): Router {
  const router = Router();
  const base = opts.emulatorBaseURL.replace(/\/$/, '');

  router.get('/users', async (_req, res) => {
    const users = await emulator<Array<DevUser & { status?: string }>>(`${base}/_emulator/users`);
    res.json({
      users: users.map((u) => ({
        userId: u.userId,
        displayName: u.displayName,
        pictureUrl: u.pictureUrl,
        following: Boolean(u.following),
      })),
    });
  });

  router.post('/id-token', async (req, res) => {
    const { userId } = parseOrThrow(DevTokenRequestSchema, req.body);
    const user = await emulator<DevUser>(`${base}/_emulator/users/${userId}`);
    const token = await emulator<{ idToken: string; exp: number }>(`${base}/_emulator/users/${userId}/id-token`, {
      channelId: opts.liffChannelId,
    });
    const body: DevTokenResponse = {
      ...token,
      profile: {
        userId: user.userId,
        displayName: user.displayName,
        ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
      },
    };
    res.json(body);
  });
  return router;
}

async function emulator<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(
    url,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (res.status === 404) throw new AppError('emulator_user_not_found', 404, '模擬器裡沒有這位使用者。');
  if (!res.ok) throw new AppError('emulator_unavailable', 502, 'LINE 模擬器沒有回應。');
  return (await res.json()) as T;
}
