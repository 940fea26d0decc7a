import type { Links } from '../domain/shared/links';
import type { AppConfig } from './config';

/**
 * The one implementation of the Links port, chosen by the configuration:
 * - the card: the LIFF URL whenever the LINE platform is real (`line.mode === 'line'`, also with a local database:
 *   a phone inside LINE can only open liff.line.me, and LINE appends the deep link to the LIFF endpoint, so
 *   https://liff.line.me/<id>/points opens /liff/points); this server's own /liff/ page with the emulator.
 * - add friend: the dev chat page when this server serves it (local mode with the in-process emulator), else the
 *   account's line.me/R/ti/p link.
 */
export function createLinks(
  config: Pick<AppConfig, 'line' | 'publicBaseUrl'>,
  opts: { devChat?: boolean } = {},
): Links {
  const base = () => config.publicBaseUrl.replace(/\/$/, '');
  const basicId = encodeURIComponent(config.line.botBasicId);
  return {
    card(path = '') {
      const clean = path.replace(/^\/+/, '');
      if (config.line.mode === 'line') return `https://liff.line.me/${config.line.liffId}${clean ? `/${clean}` : ''}`;
      return `${base()}/liff/${clean}`;
    },
    addFriend: () => (opts.devChat ? `${base()}/dev/chat` : `https://line.me/R/ti/p/${basicId}`),
    oaMessage: (text) => `https://line.me/R/oaMessage/${basicId}/?${encodeURIComponent(text)}`,
    share: (text) => `https://line.me/R/share?text=${encodeURIComponent(text)}`,
    server: (path) => `${base()}${path && !path.startsWith('/') ? '/' : ''}${path}`,
  };
}
