import { useEffect, useState } from 'preact/hooks';

/**
 * History navigation shared by both apps: real URLs (bookmarks, new tabs and long-press work), moves without a page
 * load. Each app maps URLs to its own routes; this module only moves between URLs and tells the screens.
 */

/** Goes to `url` in-app: one history entry (or a replaced one), then every `useLocationValue` re-reads. */
export function goTo(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
  // Filters and paging replace the URL: the page stays where the marketer was reading.
  if (!opts.replace) scrollTo(0, 0);
}

/** `read()` of the current location, read again on every navigation (in-app or back/forward). */
export function useLocationValue<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return value;
}

/** A click handler for an in-app link: a plain click navigates in-app; a modified or middle click is the browser's. */
export function inAppClick(navigate: () => void): (e: MouseEvent) => void {
  return (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate();
  };
}

/** Matches `/members/:id` style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}
