import { goTo, matchPath, useLocationValue } from '@kit/router';

/**
 * A tiny history router under /console/: the server answers every /console/* path with index.html, so links are
 * real URLs that can be bookmarked and opened in a new tab.
 */
export const BASE = '/console';

export interface Route {
  path: string;
  params: URLSearchParams;
}

function current(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  return { path, params: new URLSearchParams(location.search) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  goTo(to.startsWith('/') ? BASE + to : to, opts);
}

export function useRoute(): Route {
  return useLocationValue(current);
}

export const match = matchPath;

/** Replaces the query string of the current page (filters, paging) without a new history entry. */
export function setQuery(params: Record<string, string | number | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  navigate(`${current().path}${s ? `?${s}` : ''}`, { replace: true });
}
