import { z } from 'zod';

const clock = (label: string) =>
  z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, `${label}請用 HH:mm 格式（00:00–24:00）`);

/** One weekday's opening hours in the program's time zone; `null` = closed that day. */
export const OpeningDaySchema = z
  .object({ open: clock('開始時間'), close: clock('結束時間') })
  .refine((d) => d.open < d.close, { message: '結束時間必須晚於開始時間', path: ['close'] })
  .nullable();
export type OpeningDay = z.infer<typeof OpeningDaySchema>;

/** Until a brand sets its hours, someone may answer at any time (the demo brand and most brands set real hours). */
const ALWAYS: OpeningDay = { open: '00:00', close: '24:00' };
export const DEFAULT_OPENING_HOURS: OpeningDay[] = [ALWAYS, ALWAYS, ALWAYS, ALWAYS, ALWAYS, ALWAYS, ALWAYS];

/** The 1:1 inbox (#13.5): when agents answer, and when the bot takes over again by itself. */
export const InboxSettingsSchema = z
  .object({
    /** Seven entries, Sunday first (as `Date.getDay()` counts), in the program's time zone (Asia/Taipei). */
    openingHours: z.array(OpeningDaySchema).length(7, '營業時間需要設定一週七天').default(DEFAULT_OPENING_HOURS),
    /** An open conversation with no message for this many hours closes itself and the bot answers again. */
    autoResumeHours: z
      .number()
      .int('請輸入整數小時')
      .min(1, '自動恢復時間至少 1 小時')
      .max(24 * 14, '自動恢復時間最多 336 小時（14 天）')
      .default(24),
  })
  .default({ openingHours: DEFAULT_OPENING_HOURS, autoResumeHours: 24 });
export type InboxSettings = z.infer<typeof InboxSettingsSchema>;
