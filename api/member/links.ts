import type { AppDeps } from '../../server/deps';

/** "Add friend" link: the real LINE URL for the account, or the dev chat page in local mode. */
export function addFriendUrl(deps: AppDeps): string {
  if (deps.emulatorBaseURL && deps.config.mode === 'local') return `${deps.config.publicBaseUrl}/dev/chat`;
  return `https://line.me/R/ti/p/${encodeURIComponent(deps.config.line.botBasicId)}`;
}

/** Where the card itself lives (share links, "open the card" buttons). */
export function liffUrl(deps: AppDeps, path = ''): string {
  return `https://liff.line.me/${deps.config.line.liffId}${path}`;
}
