/** Dates and money as Taiwan readers expect them: 2025/12/31, NT$1,200. Dates shown in Asia/Taipei. */
const dateFmt = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const formatDate = (iso: string): string => dateFmt.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTimeFmt.format(new Date(iso));
export const formatMoney = (n: number): string => `NT$${Math.round(n).toLocaleString('en-US')}`;
export const formatPoints = (n: number): string => n.toLocaleString('en-US');

/** A fresh id per confirm dialog: the server exchanges once per id, so double taps and retries are safe. */
export function requestId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `r${Date.now()}${Math.random().toString(36).slice(2)}`;
}
