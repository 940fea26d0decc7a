import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';

export interface DevChatOptions {
  /** Where the browser reaches the emulator (its control API under /_emulator, CORS-enabled). */
  emulatorBaseURL: string;
  /**
   * Optional local LIFF endpoint. When set, https://liff.line.me/{liffId}/rest?q links open
   * `${liffUrl}/rest?q&huigoEmuUserId=<selected user>` instead of the real LIFF host.
   */
  liffUrl?: string;
}

const ASSETS = ['dev-chat.html', 'dev-chat-render.js', 'dev-chat-app.js'] as const;

/** Assets sit next to the sources; a tsc build does not copy them, so fall back to the repo path. */
function assetDir(): string {
  const candidates = [__dirname, path.resolve(process.cwd(), 'local/line-emulator')];
  const dir = candidates.find((d) => ASSETS.every((a) => existsSync(path.join(d, a))));
  if (!dir) throw new Error(`dev chat assets (${ASSETS.join(', ')}) not found in ${candidates.join(' or ')}`);
  return dir;
}

/** JSON that is safe inside an inline <script>. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * Builds the page once: one self-contained HTML document (inline CSS and JS, no build step) with the
 * emulator URL embedded. The JS lives in separate files only to keep them readable.
 */
export function renderDevChatPage(opts: DevChatOptions): string {
  const dir = assetDir();
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  const config = { emulatorBaseURL: opts.emulatorBaseURL.replace(/\/$/, ''), liffUrl: opts.liffUrl ?? null };
  // Function replacers: the JS contains `$` sequences that string replacement would interpret.
  return read('dev-chat.html')
    .replace('/*__CONFIG__*/null', () => scriptJson(config))
    .replace('/*__RENDER_JS__*/', () => read('dev-chat-render.js').replace(/<\/script/gi, '<\\/script'))
    .replace('/*__APP_JS__*/', () => read('dev-chat-app.js').replace(/<\/script/gi, '<\\/script'));
}

/** Router for the product to mount at /dev/chat (local mode only). */
export function createDevChatRouter(opts: DevChatOptions): Router {
  const router = Router();
  let page: string | null = null;
  router.get('/', (_req, res) => {
    page ??= renderDevChatPage(opts);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(page);
  });
  return router;
}
