import { Router } from 'express';
import {
  ExchangeRequestSchema,
  type CouponView,
  type ExchangeOffers,
  type ExchangeResult,
  type Wallet,
} from '../contracts/member';
import {
  exchangePointsForCoupon,
  listExchangeableTemplates,
  listWallet,
  type CouponView as DomainCoupon,
} from '../../domain/coupons';
import { getProgramSettings } from '../../domain/program/settings.service';
import { notFound } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';

/** The wallet, one coupon (only the member's own), and exchanging points for coupons. */
export function createCouponsRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/coupons', async (_req, res) => {
    const [wallet, stores] = await Promise.all([listWallet(memberOf(res)._id, deps.clock()), storeNames()]);
    const present = (c: DomainCoupon) => presentCoupon(c, stores);
    const body: Wallet = {
      active: wallet.active.map(present),
      used: wallet.used.map(present),
      expired: wallet.expired.map(present),
    };
    res.json(body);
  });

  router.get('/coupons/:id', async (req, res) => {
    // Looked up inside the member's own wallet: another member's coupon id is simply not found.
    const wallet = await listWallet(memberOf(res)._id, deps.clock());
    const coupon = [...wallet.active, ...wallet.used, ...wallet.expired].find((c) => c.id === req.params.id);
    if (!coupon) throw notFound('找不到這張優惠券。', 'coupon_not_found');
    res.json(presentCoupon(coupon, await storeNames()));
  });

  router.get('/exchange', async (_req, res) => {
    const { balance, items } = await listExchangeableTemplates(memberOf(res)._id, deps.clock(), deps.config.timeZone);
    const body: ExchangeOffers = {
      pointsBalance: balance,
      offers: items.map((o) => ({
        templateId: o.templateId,
        title: o.title,
        terms: o.terms,
        valueLabel: o.valueLabel || null,
        pointsCost: o.pointsCost,
        validDays: o.validity.mode === 'relative' ? o.validity.days : null,
        validUntil: o.validity.mode === 'fixed' ? o.validity.until : null,
        affordable: o.canAfford && !o.unavailableReason,
        unavailableReason: o.unavailableReason,
      })),
    };
    res.json(body);
  });

  router.post('/exchange', async (req, res) => {
    const input = parseOrThrow(ExchangeRequestSchema, req.body);
    // The page's requestId is the idempotency key (scoped per member by the domain): a double tap exchanges once.
    const result = await exchangePointsForCoupon({
      memberId: memberOf(res)._id,
      templateId: input.templateId,
      key: `liff:${input.requestId}`,
      now: deps.clock(),
      timeZone: deps.config.timeZone,
    });
    const body: ExchangeResult = {
      coupon: presentCoupon(result.coupon, await storeNames()),
      pointsBalance: result.balance,
    };
    res.status(result.duplicate ? 200 : 201).json(body);
  });
  return router;
}

/** Store id → name, from the brand settings (a coupon limited to stores names them). */
async function storeNames(): Promise<Map<string, string>> {
  return new Map((await getProgramSettings()).brand.stores.map((st) => [st.id, st.name]));
}

function presentCoupon(c: DomainCoupon, stores: Map<string, string>): CouponView {
  return {
    id: c.id,
    code: c.code,
    displayCode: c.displayCode,
    title: c.title,
    terms: c.terms,
    valueLabel: c.valueLabel || null,
    status: c.state === 'used' ? 'used' : c.state === 'active' ? 'active' : 'expired',
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    usedAt: c.usedAt,
    minSpend: c.minSpend,
    // A store since removed from the brand list is still named by its code rather than dropped silently.
    stores: c.storeIds.map((id) => stores.get(id) ?? id),
  };
}
