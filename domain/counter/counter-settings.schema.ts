import { z } from 'zod';

/** The counter's safety rails (#16.5): unusual amounts and the manual points caps per role. */
export const CounterSettingsSchema = z
  .object({
    /** A manual adjustment by store staff above this many points (either way) waits for an admin. */
    staffPointsCap: z.number().int('請輸入整數').min(0).max(100_000).default(500),
    /** The same for marketers. Admins have no cap. */
    marketerPointsCap: z.number().int('請輸入整數').min(0).max(100_000).default(2_000),
    /** An amount over this many times the member's (or store's) typical order asks for confirmation. */
    unusualMultiplier: z.number().min(2, '倍數至少 2 倍').max(100).default(5),
    /** Amounts up to this NT$ figure never count as unusual. */
    unusualFloor: z.number().int('請輸入整數').min(0).max(10_000_000).default(3_000),
  })
  .default({ staffPointsCap: 500, marketerPointsCap: 2_000, unusualMultiplier: 5, unusualFloor: 3_000 });
export type CounterSettings = z.infer<typeof CounterSettingsSchema>;
