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
import { notFound } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';

/** The wallet, one coupon (only the member's own), and exchanging points for coupons. */
export function createCouponsRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/coupons', async (_req, res) => {
    const wallet = await listWallet(memberOf(res)._id, deps.clock());
    const body: Wallet = {
      active: wallet.active.map(presentCoupon),
      used: wallet.used.map(presentCoupon),
      expired: wallet.expired.map(presentCoupon),
    };
    res.json(body);
  });

  router.get('/coupons/:id', async (req, res) => {
    // Looked up inside the member's own wallet: another member's coupon id is simply not found.
    const wallet = await listWallet(memberOf(res)._id, deps.clock());
    const coupon = [...wallet.active, ...wallet.used, ...wallet.expired].find((c) => c.id === req.params.id);
    if (!coupon) throw notFound('找不到這張優惠券。', 'coupon_not_found');
    res.json(presentCoupon(coupon));
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
    const body: ExchangeResult = { coupon: presentCoupon(result.coupon), pointsBalance: result.balance };
    res.status(result.duplicate ? 200 : 201).json(body);
  });
  return router;
}

function presentCoupon(c: DomainCoupon): CouponView {
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
  };
}
