import type {
  ApplyReferralRequest,
  Benefits,
  Card,
  ConsentUpdate,
  CouponView,
  DataExportLink,
  DevTokenResponse,
  DevUser,
  ExchangeOffers,
  ExchangeRequest,
  ExchangeResult,
  LiffConfig,
  PointsHistory,
  ProfileResponse,
  ProfileUpdate,
  ReferralView,
  Wallet,
} from '../../../api/contracts/member';
import { ApiError, requestJson } from '@kit/http';
import { t } from '../i18n/zh-TW';

const API = '/api/member';

/** Supplies the LIFF ID token; `refresh` is called once after a 401 (re-login) and returns the new token. */
export interface TokenSource {
  token(): string;
  refresh(): Promise<string>;
}

function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  return requestJson<T>(
    API + path,
    { method, body, headers: token ? { authorization: `Bearer ${token}` } : {} },
    t.errors,
  );
}

/** Unauthenticated calls made before there is a token. */
export const publicApi = {
  config: () => request<LiffConfig>('GET', '/config'),
  /** 會員權益: the program's rules (public, no member data). */
  benefits: () => request<Benefits>('GET', '/benefits'),
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
    exportLink: () => call<DataExportLink>('POST', '/privacy/export-link'),
    erase: () => call<{ erased: true }>('POST', '/privacy/erase', { confirm: true }),
  };
}

export type MemberApi = ReturnType<typeof createMemberApi>;
