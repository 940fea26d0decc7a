import type { RequestHandler } from 'express';

/**
 * Security headers for every response, with a Content-Security-Policy per front end. Written out here rather than
 * taken from helmet: the policies are the part that needs thought, the headers around them are five lines, and the
 * product's node_modules is shared by every worktree (see the README's security section).
 *
 * Where the LIFF origins come from: the LIFF SDK 2.31 (`@line/liff`, bundled into our own JS) loads its extension
 * and alert scripts from static.line-scdn.net (LINE's documented CDN), talks to api.line.me (LIFF server API,
 * token certs), access.line.me (LINE Login), liffsdk.line-scdn.net (its translations) and uts-front.line-apps.com
 * (LINE's usage statistics), and opens liff-subwindow.line.me / liff.line.me in frames; LINE profile pictures
 * are served from *.line-scdn.net. LINE's in-app browser needs nothing beyond that (it injects its bridge natively).
 */

export interface SecurityHeaderOptions {
  production: boolean;
  /** Local mode: the LINE emulator's origin, which the dev chat page and the mock card talk to. */
  emulatorOrigin?: string;
}

type Directives = Record<string, string[]>;

const LINE_SCRIPT = ['https://static.line-scdn.net'];
const LINE_CONNECT = [
  'https://api.line.me',
  'https://access.line.me',
  'https://liffsdk.line-scdn.net',
  'https://uts-front.line-apps.com',
];
const LINE_FRAMES = ['https://liff-subwindow.line.me', 'https://liff.line.me', 'https://access.line.me'];
const LINE_IMAGES = ['https://*.line-scdn.net'];

/** The member card inside LINE: our own code plus what the LIFF SDK reaches. */
export function liffPolicy(opts: SecurityHeaderOptions): Directives {
  const emu = opts.emulatorOrigin ? [opts.emulatorOrigin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...LINE_SCRIPT],
    // The LIFF SDK's alert component injects its own <style>; styles cannot run code.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...LINE_IMAGES, ...emu],
    'connect-src': ["'self'", ...LINE_CONNECT, ...emu],
    'frame-src': LINE_FRAMES,
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    // Nobody but LINE itself may frame the card.
    'frame-ancestors': ["'self'", 'https://*.line.me'],
  };
}

/**
 * The console: nothing beyond itself, never framed. Images are the one exception: the campaign editor previews the
 * https images a marketer chose and member pages show LINE profile pictures (an image cannot run code).
 */
export function consolePolicy(opts: SecurityHeaderOptions): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:', ...(opts.emulatorOrigin ? [opts.emulatorOrigin] : [])],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** Local mode's dev chat page: one self-contained document (inline script and style) talking to the emulator. */
function devChatPolicy(opts: SecurityHeaderOptions): Directives {
  const emu = opts.emulatorOrigin ? [opts.emulatorOrigin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'unsafe-inline'"],
    'style-src': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'https:', ...emu],
    'connect-src': ["'self'", ...emu],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
}

/** APIs, redirects and error pages: nothing to load, nothing to frame. */
const NOTHING: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const serializePolicy = (d: Directives): string =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

const underMount = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`);

/** One middleware for the whole app; a route that serves its own document (the data export) may replace the CSP. */
export function securityHeaders(opts: SecurityHeaderOptions): RequestHandler {
  const liff = serializePolicy(liffPolicy(opts));
  const consoleCsp = serializePolicy(consolePolicy(opts));
  const devChat = serializePolicy(devChatPolicy(opts));
  const nothing = serializePolicy(NOTHING);
  return (req, res, next) => {
    const path = req.path;
    const csp = underMount(path, '/liff')
      ? liff
      : underMount(path, '/console')
        ? consoleCsp
        : underMount(path, '/dev/chat')
          ? devChat
          : nothing;
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // LIFF URLs carry tokens in their fragment and the data export link its signature: never pass URLs on.
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Older browsers ignore frame-ancestors; the card is left to its CSP so LINE can still frame it.
    if (!underMount(path, '/liff')) res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (opts.production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
