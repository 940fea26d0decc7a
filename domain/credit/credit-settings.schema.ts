import { z } from 'zod';

const ntd = (max: number) => z.number().int('金額必須是整數（新台幣元）').min(0, '金額不可為負').max(max);

/**
 * Shopping credit (購物金, #16.2): NT$ integer amounts that members spend on orders. Lots expire; spends take the
 * soonest-expiring lots first (domain/credit/credit.service.ts).
 */
export const CreditSettingsSchema = z
  .object({
    /** Birthday credit gift (NT$, 0 = none) and how many days it stays valid. */
    birthdayAmount: ntd(100_000).default(0),
    birthdayValidDays: z.number().int().min(1).max(3650).default(30),
    /** Credit for the referrer when the referee places a first order (0 = none). */
    referralAmount: ntd(100_000).default(0),
    referralValidDays: z.number().int().min(1).max(3650).default(90),
    /** Refunds of orders paid in money may be given back as credit instead (when the brand chooses so). */
    refundAsCredit: z.boolean().default(false),
    refundValidDays: z.number().int().min(1).max(3650).default(365),
    /** Per-order spend cap: NT$ (null = none) and % of the order's gross amount (100 = no % cap). */
    maxPerOrder: ntd(10_000_000).nullable().default(null),
    maxPercentOfOrder: z.number().int().min(0).max(100).default(100),
    /** Largest single manual grant by role (NT$). */
    manualGrantCap: z
      .object({
        staff: ntd(1_000_000).default(200),
        marketer: ntd(1_000_000).default(1000),
        admin: ntd(1_000_000).default(5000),
      })
      .default({ staff: 200, marketer: 1000, admin: 5000 }),
    manualValidDays: z.number().int().min(1).max(3650).default(90),
  })
  .default({
    birthdayAmount: 0,
    birthdayValidDays: 30,
    referralAmount: 0,
    referralValidDays: 90,
    refundAsCredit: false,
    refundValidDays: 365,
    maxPerOrder: null,
    maxPercentOfOrder: 100,
    manualGrantCap: { staff: 200, marketer: 1000, admin: 5000 },
    manualValidDays: 90,
  });
export type CreditSettings = z.infer<typeof CreditSettingsSchema>;

/**
 * Paying with points (點數折抵, #16.3): `pointsPerNtd` points are worth NT$1 (1 = 1 point per NT$1, 10 = 10 points
 * per NT$1); the points redeemed on an order must be a multiple of it. At most `maxPercentOfOrder` % of the gross.
 */
export const PointsPaymentSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    pointsPerNtd: z.number().int().min(1).max(1000).default(1),
    maxPercentOfOrder: z.number().int().min(0).max(100).default(50),
    /**
     * What an order paid partly with credit or points counts as spend — for points earned, tier spend, stamps per
     * NT$, campaign and revenue figures: `net` (default: only what the member paid in money; credit and points are
     * a discount, not spend) or `gross` (the order's total).
     */
    spendBasis: z.enum(['net', 'gross']).default('net'),
  })
  .default({ enabled: true, pointsPerNtd: 1, maxPercentOfOrder: 50, spendBasis: 'net' });
export type PointsPaymentSettings = z.infer<typeof PointsPaymentSettingsSchema>;
