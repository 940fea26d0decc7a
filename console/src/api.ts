import { t } from './i18n';

/** A failed console API call: the server's code and zh-TW message, and per-field messages for forms. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const BASE = '/api/console';
let csrfToken = '';
let onUnauthorized: () => void = () => undefined;

/** The session's CSRF token, sent on every state-changing request (synchronizer token). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

type Body = unknown;
interface RequestOptions { query?: Record<string, string | number | boolean | undefined | null>; raw?: { body: BodyInit; contentType: string } }

export function queryString(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: Body, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.contentType;
    payload = opts.raw.body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(BASE + path + queryString(opts.query), { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError('network', 0, t.errors.network);
  }
  if (res.ok) return (await res.json()) as T;
  const err = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: { fields?: Array<{ path: string; message: string }> } & Record<string, unknown> } } | null;
  if (res.status === 401 && !path.startsWith('/auth/login')) onUnauthorized();
  if (!err?.error) throw new ApiError(`http_${res.status}`, res.status, res.status >= 500 ? t.errors.server : t.errors.network);
  const fields: Record<string, string> = {};
  for (const f of err.error.details?.fields ?? []) fields[f.path] ??= f.message;
  throw new ApiError(err.error.code, res.status, err.error.message, fields, err.error.details ?? {});
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, undefined, { query }),
  post: <T>(path: string, body?: Body, query?: RequestOptions['query']) => request<T>('POST', path, body ?? {}, { query }),
  put: <T>(path: string, body: Body) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: Body) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, file: Blob, contentType: string, query?: RequestOptions['query']) => request<T>('POST', path, undefined, { query, raw: { body: file, contentType } }),
  /** A URL for a GET download (CSV); the browser sends the cookie itself. */
  url: (path: string, query?: RequestOptions['query']) => BASE + path + queryString(query),
};

/** A random idempotency key for one user action (a double click or a retry then does it once). */
export function actionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
