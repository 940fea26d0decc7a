/**
 * Taiwan mobile numbers in the one stored form `09XXXXXXXX`. Accepts what people and spreadsheets write:
 * `0912-345-678`, `0912 345 678`, `+886 912 345 678`, `886912345678`, and Excel's number-mangled `912345678`.
 */
export function normalizeTaiwanMobile(raw: string): string | null {
  const digits = raw.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return null;
  let local = digits;
  if (local.startsWith('886')) local = `0${local.slice(3)}`;
  else if (local.length === 9 && local.startsWith('9')) local = `0${local}`;
  return /^09\d{8}$/.test(local) ? local : null;
}

/** A Taiwan mobile inside free text, in the spellings people type (09…, +886 9…, with spaces or dashes). */
export const TAIWAN_MOBILE_IN_TEXT = /(?<![\w+])(?:\+?886[-\s]?9|09)\d{2}[-\s]?\d{3}[-\s]?\d{3}(?!\w)/g;

/**
 * Free text as staff may read it (a chat message on the timeline, in the inbox): every Taiwan mobile in it masked
 * like `maskPhone` (`0912***678`), so a number a customer typed is not shown in full in any staff view.
 */
export function maskPhonesInText(text: string): string {
  return text.replace(TAIWAN_MOBILE_IN_TEXT, (found) => maskPhone(found));
}

/**
 * `0912***678`: enough to recognise a number on screen or in a report, not enough to leak it. A Taiwan mobile in
 * any spelling is masked in its stored form (`+886 912-345-678` → `0912***678`); anything else by its digits, and
 * fewer than 8 digits not at all (the first four and last three would show every digit).
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = normalizeTaiwanMobile(phone) ?? phone.replace(/\D/g, '');
  return digits.length >= 8 ? `${digits.slice(0, 4)}***${digits.slice(-3)}` : '***';
}
