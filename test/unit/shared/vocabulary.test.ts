import { t as chat } from '../../../bot/messages/catalogue';
import { t as consoleText } from '../../../console/src/i18n';
import * as consoleFormat from '../../../console/src/format';
import { campaignText } from '../../../domain/campaigns/campaign-text';
import { programText } from '../../../domain/program/program-messages';
import { t as card } from '../../../liff-app/src/i18n/zh-TW';
import * as cardFormat from '../../../liff-app/src/views/format';
import { POINT_REASONS, type PointReason } from '../../../models/points-entry.model';
import {
  dateTimeFormat,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatTime,
  fromDateTimeInput,
  toDateTimeInput,
} from '../../../shared/format';
import { couponValidUntilText, POINT_REASON_LABELS, pointReasonLabel, tierNextText } from '../../../shared/vocabulary';

const TAIPEI = 'Asia/Taipei';
// 00:30 on 1 January 2027 in Taipei, still 31 December 2026 in UTC and in Los Angeles.
const JUST_AFTER_TAIPEI_MIDNIGHT = '2026-12-31T16:30:00.000Z';

/**
 * The chat, the card and the console say the shared sentences through the functions each surface actually calls
 * (bot/commands/member-commands.ts, liff-app views, console pages), and all three read the same words.
 */
describe('one vocabulary across the chat, the card and the console', () => {
  beforeEach(() => {
    // What the front ends do once the server has sent its configured zone (LIFF config, console session).
    cardFormat.setDisplayTimeZone(TAIPEI);
    consoleFormat.setDisplayTimeZone(TAIPEI);
  });

  it('the tier sentence', () => {
    const spendNeeded = 1280;
    const surfaces = {
      chat: chat.points.nextTier(spendNeeded, '金卡'), // member-commands pointsMessages
      card: card.card.tierNext(cardFormat.formatMoney(spendNeeded), '金卡'), // card-view TierPanel
      console: consoleText.member.nextTier('金卡', consoleFormat.fmtMoney(spendNeeded)), // pages/member.tsx
    };
    expect(surfaces).toEqual({
      chat: '再消費 NT$1,280 即可升級「金卡」',
      card: '再消費 NT$1,280 即可升級「金卡」',
      console: '再消費 NT$1,280 即可升級「金卡」',
    });
    expect(chat.points.tierReached('金卡')).toBe(card.card.tierReached('金卡'));
  });

  it('a coupon validity, in the configured zone on every surface', () => {
    const validUntil = JUST_AFTER_TAIPEI_MIDNIGHT;
    const surfaces = {
      chat: chat.coupons.validUntil(formatDate(new Date(validUntil), TAIPEI)), // member-commands couponMessages
      card: card.coupons.validUntil(cardFormat.formatDate(validUntil)), // coupons-view
      console: consoleText.counter.validUntil(consoleFormat.fmtDate(validUntil)), // pages/counter.tsx, members/coupons-card.tsx
    };
    expect(surfaces).toEqual({
      chat: '使用期限至 2027/01/01',
      card: '使用期限至 2027/01/01',
      console: '使用期限至 2027/01/01',
    });
    // The push sent when a coupon is issued says the same.
    expect(programText.couponIssued('生日券', '2027/01/01')).toContain(surfaces.chat);
  });

  it('a point reason', () => {
    // The card (points-view) and the console (members/points-card) show `reasonLabel`, which the server's
    // listPointsHistory fills with pointReasonLabel; the chat names the same reward in the birthday push.
    const reasonLabel = pointReasonLabel('birthday');
    const surfaces = {
      chat: campaignText.birthdayPoints(200),
      card: reasonLabel || card.points.otherReason,
      console: reasonLabel,
    };
    expect(surfaces).toEqual({ chat: '已送您生日禮 200 點，可在會員卡查看。', card: '生日禮', console: '生日禮' });
  });

  it('has a label for every reason the points ledger can store; an unknown one shows as its code', () => {
    const labels: Record<PointReason, string> = POINT_REASON_LABELS; // compile-time: no reason is missing
    for (const reason of POINT_REASONS) expect(labels[reason]).toMatch(/\p{Script=Han}/u);
    expect(pointReasonLabel('legacy_bonus')).toBe('legacy_bonus');
  });

  it('the front ends show dates in the zone the server sent, not a fixed one', () => {
    cardFormat.setDisplayTimeZone('America/Los_Angeles');
    consoleFormat.setDisplayTimeZone('America/Los_Angeles');
    expect(cardFormat.formatDate(JUST_AFTER_TAIPEI_MIDNIGHT)).toBe('2026/12/31');
    expect(consoleFormat.fmtDateTime(JUST_AFTER_TAIPEI_MIDNIGHT)).toBe('2026/12/31 08:30');
    expect(consoleFormat.toLocalInput(JUST_AFTER_TAIPEI_MIDNIGHT)).toBe('2026-12-31T08:30');
    expect(consoleFormat.fromLocalInput('2026-12-31T08:30')).toBe(JUST_AFTER_TAIPEI_MIDNIGHT);
  });
});

describe('shared formatters', () => {
  it('money: NT$ and thousands, whole dollars', () => {
    expect(formatMoney(1280)).toBe('NT$1,280');
    expect(formatMoney(0)).toBe('NT$0');
    expect(formatMoney(1234567)).toBe('NT$1,234,567');
    expect(formatMoney(99.5)).toBe('NT$100');
    expect(tierNextText(10000, '銀卡')).toBe('再消費 NT$10,000 即可升級「銀卡」');
  });

  it('numbers: thousands grouped', () => {
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatNumber(70)).toBe('70');
  });

  it('dates in 1990/05/20 form, zero-padded, from a Date, an ISO string or epoch milliseconds', () => {
    const at = new Date('1990-05-20T04:00:00Z');
    expect(formatDate(at, TAIPEI)).toBe('1990/05/20');
    expect(formatDate(at.toISOString(), TAIPEI)).toBe('1990/05/20');
    expect(formatDate(at.getTime(), TAIPEI)).toBe('1990/05/20');
    expect(formatDate(new Date('2026-01-05T00:00:00Z'), 'UTC')).toBe('2026/01/05');
  });

  it('a date across midnight in another zone', () => {
    expect(formatDate(JUST_AFTER_TAIPEI_MIDNIGHT, TAIPEI)).toBe('2027/01/01');
    expect(formatDate(JUST_AFTER_TAIPEI_MIDNIGHT, 'UTC')).toBe('2026/12/31');
    expect(formatDate(JUST_AFTER_TAIPEI_MIDNIGHT, 'America/Los_Angeles')).toBe('2026/12/31');
    expect(couponValidUntilText(formatDate(JUST_AFTER_TAIPEI_MIDNIGHT, 'Asia/Tokyo'))).toBe('使用期限至 2027/01/01');
  });

  it('date-times and times on a 24-hour clock (midnight is 00, not 24)', () => {
    expect(formatDateTime(JUST_AFTER_TAIPEI_MIDNIGHT, TAIPEI)).toBe('2027/01/01 00:30');
    expect(formatTime(JUST_AFTER_TAIPEI_MIDNIGHT, TAIPEI)).toBe('00:30');
    expect(formatDateTime('2026-06-15T13:05:00Z', TAIPEI)).toBe('2026/06/15 21:05');
  });

  it('datetime-local values round-trip through a zone, DST included', () => {
    expect(toDateTimeInput('2025-06-02T06:00:00.000Z', TAIPEI)).toBe('2025-06-02T14:00');
    expect(fromDateTimeInput('2025-06-02T14:00', TAIPEI)).toBe('2025-06-02T06:00:00.000Z');
    expect(fromDateTimeInput('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z'); // EDT
    expect(fromDateTimeInput('2026-01-01T09:00', 'America/New_York')).toBe('2026-01-01T14:00:00.000Z'); // EST
  });

  it('builds one Intl.DateTimeFormat per (zone, options)', () => {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit' };
    expect(dateTimeFormat(TAIPEI, options)).toBe(dateTimeFormat(TAIPEI, { ...options }));
    expect(dateTimeFormat(TAIPEI, options)).not.toBe(dateTimeFormat('UTC', options));
    expect(dateTimeFormat(TAIPEI, options)).not.toBe(dateTimeFormat(TAIPEI, { ...options, day: '2-digit' }));
  });
});
