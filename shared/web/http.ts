/**
 * The one way both front ends call their API: JSON in and out, and every failure turned into an `ApiError` that
 * carries the server's code and zh-TW message (never a raw stack or status line). Each app supplies its own words
 * for the failures the server could not describe (network down, a 5xx without a body).
 */

/** A failed API call: the server's code and message, per-field messages for forms, and the error's details. */
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

  /** Where "add friend" sends a member the server found not following the account (`not_following`). */
  get addFriendUrl(): string | undefined {
    return typeof this.details.addFriendUrl === 'string' ? this.details.addFriendUrl : undefined;
  }
}

/** What to say when the server gave no message of its own. */
export interface ErrorTexts {
  network: string;
  server: string;
}

export interface JsonRequest {
  method: string;
  headers?: Record<string, string>;
  /** Sent as JSON; leave undefined for no body. */
  body?: unknown;
  /** Sent as is (a file upload), instead of `body`. */
  raw?: { body: BodyInit; contentType: string };
  credentials?: RequestCredentials;
}

interface ErrorBody {
  error?: {
    code: string;
    message: string;
    details?: { fields?: Array<{ path: string; message: string }> } & Record<string, unknown>;
  };
}

/** Query parameters: any object of scalar values (interfaces too, which a `Record` type would refuse). */
export type QueryValues = object;

/** `?a=1&b=x` from the values that are set (undefined, null and '' are left out), or '' when none is. */
export function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}) as Array<[string, unknown]>)
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** One JSON request; resolves with the parsed body of a 2xx, rejects with an `ApiError` otherwise. */
export async function requestJson<T>(url: string, req: JsonRequest, texts: ErrorTexts): Promise<T> {
  const headers: Record<string, string> = { ...req.headers };
  let payload: BodyInit | undefined;
  if (req.raw) {
    headers['content-type'] = req.raw.contentType;
    payload = req.raw.body;
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(req.body);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers,
      body: payload,
      ...(req.credentials ? { credentials: req.credentials } : {}),
    });
  } catch {
    throw new ApiError('network', 0, texts.network);
  }
  if (res.ok) return (await res.json()) as T;
  const err = (await res.json().catch(() => null)) as ErrorBody | null;
  if (!err?.error)
    throw new ApiError(`http_${res.status}`, res.status, res.status >= 500 ? texts.server : texts.network);
  const fields: Record<string, string> = {};
  for (const f of err.error.details?.fields ?? []) fields[f.path] ??= f.message;
  throw new ApiError(err.error.code, res.status, err.error.message, fields, err.error.details ?? {});
}
