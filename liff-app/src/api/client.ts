import type {
  ApiErrorBody, ApplyReferralRequest, Card, ConsentUpdate, CouponView, DevTokenResponse, DevUser, ExchangeOffers, ExchangeRequest,
  ExchangeResult, LiffConfig, PointsHistory, ProfileResponse, ProfileUpdate, ReferralView, Wallet,
} from '../../../api/contracts/member';
import { t } from '../i18n/zh-TW';

/** A failed API call, with the server's zh-TW message when it sent one (never a raw stack or status line). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly addFriendUrl?: string,
  ) {
    super(message);
  }
}

const API = '/api/member';

/** Supplies the LIFF ID token; `refresh` is called once after a 401 (re-login) and returns the new token. */
export interface TokenSource {
  token(): string;
  refresh(): Promise<string>;
}

async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 0, t.errors.network);
  }
  if (res.ok) return (await res.json()) as T;
  const err = (await res.json().catch(() => null)) as ApiErrorBody | null;
  if (!err?.error) throw new ApiError('http_' + res.status, res.status, res.status >= 500 ? t.errors.server : t.errors.network);
  const fields: Record<string, string> = {};
  for (const f of err.error.details?.fields ?? []) fields[f.path] ??= f.message;
  throw new ApiError(err.error.code, res.status, err.error.message, fields, err.error.details?.addFriendUrl);
}

/** Unauthenticated calls made before there is a token. */
export const publicApi = {
  config: () => request<LiffConfig>('GET', '/config'),
  devUsers: () => request<{ users: DevUser[] }>('GET', '/dev/users'),
  devToken: (userId: string) => request<DevTokenResponse>('POST', '/dev/id-token', { userId }),
};

/** The typed member API. A 401 triggers one re-login and one retry; a second 401 is shown as an error. */
export function createMemberApi(tokens: TokenSource) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await request<T>(method, path, body, tokens.token());
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      return request<T>(method, path, body, await tokens.refresh());
    }
  }
  return {
    card: () => call<Card>('GET', '/me'),
    points: (page: number) => call<PointsHistory>('GET', `/points?page=${page}&pageSize=20`),
    wallet: () => call<Wallet>('GET', '/coupons'),
    coupon: (id: string) => call<CouponView>('GET', `/coupons/${encodeURIComponent(id)}`),
    offers: () => call<ExchangeOffers>('GET', '/exchange'),
    exchange: (req: ExchangeRequest) => call<ExchangeResult>('POST', '/exchange', req),
    referral: () => call<ReferralView>('GET', '/referral'),
    applyReferral: (req: ApplyReferralRequest) => call<ReferralView>('POST', '/referral', req),
    profile: () => call<ProfileResponse>('GET', '/profile'),
    saveProfile: (req: ProfileUpdate) => call<ProfileResponse>('PUT', '/profile', req),
    saveConsent: (req: ConsentUpdate) => call<ProfileResponse>('PUT', '/consent', req),
    exportData: () => call<unknown>('GET', '/privacy/export'),
    erase: () => call<{ erased: true }>('POST', '/privacy/erase', { confirm: true }),
  };
}

export type MemberApi = ReturnType<typeof createMemberApi>;
