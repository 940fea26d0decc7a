/**
 * The coupons capability: templates, issuance (single, batch, points exchange), the member's wallet and
 * redemption at the store. Implementation is split by concern; import from here.
 */
export {
  createCouponTemplate,
  updateCouponTemplate,
  archiveCouponTemplate,
  listCouponTemplates,
  getCouponTemplate,
  CouponTemplateInputSchema,
} from './coupon-template.service';
export type { CouponTemplateInput } from './coupon-template.service';
export { issueCoupon, issueCouponBatch, listWallet, COUPON_CODE_LENGTH } from './coupon-issue.service';
export type { IssueCouponInput, IssueCouponResult, BatchIssueResult, Wallet } from './coupon-issue.service';
export { redeemCoupon, reverseRedemption, findCouponByCode } from './coupon-redemption.service';
export type { RedeemInput, RedemptionView } from './coupon-redemption.service';
export {
  exchangePointsForCoupon,
  listExchangeableTemplates,
  repairInterruptedExchanges,
} from './coupon-exchange.service';
export type { ExchangeResult, ExchangeOption } from './coupon-exchange.service';
export { valueLabel, couponState } from './coupon-view';
export type { CouponView, CouponTemplateView, CouponState } from './coupon-view';
export { normalizeShortCode, formatShortCode } from './short-code';
