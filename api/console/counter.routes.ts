import { Router } from 'express';
import { getCounterMember, lookupCounterCode } from '../../domain/members/counter-lookup.service';
import { reverseRedemption } from '../../domain/coupons';
import {
  CONSOLE_PURCHASE_SOURCE,
  redeemAtCounter,
  undoCounterRedemption,
} from '../../domain/counter/counter-redeem.service';
import { ingestPurchase } from '../../domain/purchases/purchase.service';
import { parseOrThrow } from '../../domain/shared/validation';
import { conflict } from '../../domain/shared/errors';
import { getProgramSettings } from '../../domain/program/settings.service';
import { checkUnusualAmount } from '../../domain/purchases/unusual-amount.service';
import { counterStoreFor } from '../../domain/staff/store-binding';
import { listCounterToday } from '../../domain/counter/counter-today.service';
import type { AppDeps } from '../../server/deps';
import {
  CounterLookupQuerySchema,
  CounterPurchaseRequestSchema,
  CounterTodayQuerySchema,
  RedeemRequestSchema,
  ReverseRedemptionRequestSchema,
} from '../contracts/console';
import { z } from 'zod';
import { audit, consoleLocals, requirePermission } from './console-context';
import { adjustCredit, adjustPoints } from './members.routes';
import { objectIdSchema } from '../../shared/ids';
import {
  presentCounterLookup,
  presentCounterMember,
  presentCoupon,
  presentPurchase,
  presentCounterRedemption,
} from './presenters/members.presenter';

export { CONSOLE_PURCHASE_SOURCE } from '../../domain/counter/counter-redeem.service';

/** /api/console/counter: what store staff do in one step — look up, redeem, record a purchase, adjust points or 購物金. */
export function createCounterRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('counter'));

  router.get('/lookup', async (req, res) => {
    const { code } = parseOrThrow(CounterLookupQuerySchema, req.query);
    res.json(presentCounterLookup(await lookupCounterCode(code, deps.clock())));
  });

  router.get('/today', async (req, res) => {
    const { storeId: asked } = parseOrThrow(CounterTodayQuerySchema, req.query);
    const user = consoleLocals(res).session.user;
    res.json(
      await listCounterToday({
        storeId: counterStoreFor(user, asked),
        user: { id: user.id, role: user.role },
        now: deps.clock(),
        timeZone: deps.config.timeZone,
      }),
    );
  });

  router.get('/members/:id', async (req, res) => {
    res.json({ member: presentCounterMember(await getCounterMember(String(req.params.id), deps.clock())) });
  });

  router.post('/redeem', async (req, res) => {
    const { storeId: asked, ...body } = parseOrThrow(RedeemRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const storeId = counterStoreFor(user, asked);
    const result = await redeemAtCounter(
      { ...body, storeId },
      { actor: user.id, now: deps.clock(), timeZone: deps.config.timeZone, messenger: deps.messenger },
    );
    await audit(deps, req, res, {
      action: 'coupon.redeem',
      target: { type: 'coupon', id: result.coupon.id, label: result.coupon.displayCode },
      details: {
        title: result.coupon.title,
        storeId,
        memberId: result.member?.id,
        orderAmount: body.orderAmount,
        purchaseId: result.purchase?.purchaseId,
      },
    });
    res.json(presentCounterRedemption(result));
  });

  // The redeeming staff within 10 minutes, or whoever may reverse redemptions (checked in the use case).
  router.post('/redemptions/:couponId/undo', async (req, res) => {
    const user = consoleLocals(res).session.user;
    const coupon = await undoCounterRedemption({
      couponId: String(req.params.couponId),
      user: { id: user.id, role: user.role },
      now: deps.clock(),
    });
    await audit(deps, req, res, {
      action: 'coupon.redeem.undo',
      target: { type: 'coupon', id: coupon.id, label: coupon.displayCode },
      details: { title: coupon.title },
    });
    res.json({ coupon: presentCoupon(coupon) });
  });

  router.post('/reverse', requirePermission('coupons.reverse'), async (req, res) => {
    const { couponId } = parseOrThrow(ReverseRedemptionRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const coupon = await reverseRedemption({ couponId, actor: user.id, now: deps.clock() });
    await audit(deps, req, res, {
      action: 'coupon.redeem.reverse',
      target: { type: 'coupon', id: coupon.id, label: coupon.displayCode },
    });
    res.json({ coupon: presentCoupon(coupon) });
  });

  router.post('/purchases', async (req, res) => {
    const body = parseOrThrow(CounterPurchaseRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const storeId = counterStoreFor(user, body.storeId);
    const unusual = await checkUnusualAmount(
      { memberId: body.memberId, storeId, amount: body.amount },
      (await getProgramSettings()).counter,
    );
    // A typo (12,800 for 1,280) is caught before anything is stored; the page asks and re-sends with confirm:true.
    if (unusual && !body.confirm)
      throw conflict('needs_confirmation', unusual.message, { typical: unusual.typical, times: unusual.times });
    const result = await ingestPurchase(
      {
        orderId: body.orderId ?? `counter-${body.key}`,
        member: { memberId: body.memberId },
        amount: body.amount,
        ...(body.credit ? { credit: body.credit } : {}),
        ...(body.points ? { points: body.points } : {}),
        channel: 'store',
        ...(storeId ? { storeId } : {}),
      },
      {
        source: CONSOLE_PURCHASE_SOURCE,
        now: deps.clock(),
        messenger: deps.messenger,
        actor: user.id,
        timeZone: deps.config.timeZone,
      },
    );
    await audit(deps, req, res, {
      action: 'purchase.record',
      target: { type: 'member', id: result.memberId, label: result.memberCode },
      details: {
        orderId: result.orderId,
        amount: result.amount,
        pointsEarned: result.pointsEarned,
        ...(result.creditUsed || result.pointsUsed
          ? { creditUsed: result.creditUsed, pointsUsed: result.pointsUsed, netPaid: result.netPaid }
          : {}),
        storeId,
        replayed: result.replayed,
        note: body.note,
        ...(unusual ? { unusualConfirmed: unusual.times } : {}),
      },
    });
    res.status(result.replayed ? 200 : 201).json(presentPurchase(result));
  });

  // Same permission as adjusting points on the member page: the counter is another door to the same power.
  router.post('/points', requirePermission('points.adjust'), async (req, res) => {
    const { memberId, ...rest } = parseOrThrow(z.looseObject({ memberId: objectIdSchema() }), req.body);
    const out = await adjustPoints(deps, rest, memberId, res, req);
    res.status(out.status).json(out.body);
  });

  // 購物金 at the counter (#16.2): the member page's grant/deduction, capped per role, over the cap held for an admin.
  router.post('/credit', requirePermission('points.adjust'), async (req, res) => {
    const { memberId, ...rest } = parseOrThrow(z.looseObject({ memberId: objectIdSchema() }), req.body);
    const out = await adjustCredit(deps, rest, memberId, res, req);
    res.status(out.status).json(out.body);
  });

  return router;
}
