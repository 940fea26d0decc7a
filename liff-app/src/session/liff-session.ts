import type { Liff } from '@line/liff';
import type { LiffConfig } from '../../../api/contracts/member';
import { createMemberApi, publicApi, type MemberApi } from '../api/client';

/** What the views need once the member is signed in. */
export interface Session {
  config: LiffConfig;
  api: MemberApi;
  liff: Liff;
}

const MOCK_USER_KEY = 'huigo.mockUser';

/** The emulated user chosen for local mode: `?mockUser=U…` (or the dev chat's `huigoEmuUserId`), else the last one. */
export function chosenMockUser(): string | null {
  const q = new URLSearchParams(location.search);
  const fromUrl = q.get('mockUser') ?? q.get('huigoEmuUserId');
  if (fromUrl) {
    sessionStorage.setItem(MOCK_USER_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(MOCK_USER_KEY);
}

export function rememberMockUser(userId: string): void {
  sessionStorage.setItem(MOCK_USER_KEY, userId);
  const url = new URL(location.href);
  url.searchParams.set('mockUser', userId);
  history.replaceState(history.state, '', url);
}

/** Thrown when the page is navigating away to LINE Login; the UI keeps showing its loading state. */
export class Redirecting extends Error {
  name = 'Redirecting';
}

/** Starts the SDK early (in parallel with the config request) so the card appears sooner. */
export const liffModule = (): Promise<Liff> => import('@line/liff').then((m) => m.default);

/**
 * Production: real LIFF in the LINE app; not logged in → LINE Login. A rejected token (401) → log out and log in
 * again, which issues a fresh ID token.
 */
export async function startLiffSession(config: LiffConfig): Promise<Session> {
  const liff = await liffModule();
  await liff.init({ liffId: config.liffId });
  const relogin = (): never => {
    if (liff.isLoggedIn()) liff.logout();
    liff.login({ redirectUri: location.href });
    throw new Redirecting();
  };
  if (!liff.isLoggedIn()) relogin();
  const token = liff.getIDToken();
  if (!token) relogin();
  const current = token as string;
  const api = createMemberApi({
    token: () => current,
    async refresh() {
      // The SDK keeps its token until logout; a server 401 means it has expired.
      return relogin();
    },
  });
  return { config, api, liff };
}

/**
 * Local mode: @line/liff-mock plays the LINE app; the ID token is a real emulator token for the chosen user, so
 * the server verifies it exactly like production (against the emulator's /oauth2/v2.1/verify).
 */
export async function startMockSession(config: LiffConfig, userId: string): Promise<Session> {
  const [liff, { LiffMockPlugin }, first] = await Promise.all([
    liffModule(),
    import('@line/liff-mock'),
    publicApi.devToken(userId),
  ]);
  liff.use(new LiffMockPlugin());
  await liff.init({ liffId: config.liffId, mock: true } as Parameters<Liff['init']>[0]);
  liff.login();
  const mock = (
    liff as unknown as { $mock: { set(fn: (p: Record<string, unknown>) => Record<string, unknown>): void } }
  ).$mock;
  const apply = (dev: Awaited<ReturnType<typeof publicApi.devToken>>) =>
    mock.set((p) => ({
      ...p,
      isLoggedIn: true,
      isApiAvailable: true,
      getIDToken: dev.idToken,
      getProfile: dev.profile,
      getLanguage: 'zh-TW',
      shareTargetPicker: { status: 'success' },
    }));
  apply(first);
  const api = createMemberApi({
    token: () => liff.getIDToken() ?? '',
    async refresh() {
      apply(await publicApi.devToken(userId));
      return liff.getIDToken() ?? '';
    },
  });
  return { config, api, liff };
}
