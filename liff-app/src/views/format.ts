import {
  DEFAULT_TIME_ZONE,
  formatDate as formatDateIn,
  formatDateTime as formatDateTimeIn,
  formatMoney,
  formatNumber,
} from '../../../shared/format';

/**
 * Dates and money as Taiwan readers expect them (2025/12/31, NT$1,200), through the shared formatters. Dates are
 * shown in the program's time zone, which arrives with the config (`GET /api/member/config`) before any screen
 * renders.
 */
let timeZone = DEFAULT_TIME_ZONE;

/** Called once the config has arrived: every date on the card is shown in the zone the server is configured with. */
export function setDisplayTimeZone(zone: string): void {
  timeZone = zone;
}

export const formatDate = (iso: string): string => formatDateIn(iso, timeZone);
export const formatDateTime = (iso: string): string => formatDateTimeIn(iso, timeZone);
export { formatMoney };
export const formatPoints = (n: number): string => formatNumber(n);

/** A fresh id per confirm dialog: the server exchanges once per id, so double taps and retries are safe. */
export function requestId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `r${Date.now()}${Math.random().toString(36).slice(2)}`;
}
