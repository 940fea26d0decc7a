import { lineUserIdOf } from '../../../bot/handlers/context';
import { eventIdOf, parseEvent, storableEvent } from '../../../bot/event-store';
import { DEFAULT_PERSONA_SCRIPT } from '../../../domain/persona/default-script';
import { PersonaScriptSchema } from '../../../domain/persona/persona-script.schema';
import { summarize } from '../../../domain/messaging/notify.service';
import type { LineMessage } from '../../../domain/messaging/messenger';
import { summarizeEvent, summarizePostback } from '../../../bot/inbound';
import { isValidMemberCode, generateMemberCode } from '../../../domain/members/member.service';

describe('event storage helpers', () => {
  it('keeps LINE ids and hashes anything else, stably', () => {
    expect(eventIdOf({ webhookEventId: '01FZ74A0TDDPYRVKNK77XKC3ZR' })).toBe('01FZ74A0TDDPYRVKNK77XKC3ZR');
    const odd = { webhookEventId: { $gt: '' } as unknown as string, type: 'message' };
    expect(eventIdOf(odd)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventIdOf(odd)).toBe(eventIdOf({ ...odd }));
    expect(eventIdOf({ webhookEventId: 'x'.repeat(500) })).toMatch(/^sha256:/);
  });

  it('makes any event storable in MongoDB: no $-keys, no dotted keys, no prototype keys, bounded depth', () => {
    const input = JSON.parse('{"a":{"$set":{"x.y":1}},"__proto__":{"p":1},"list":[{"$in":[1]}]}');
    expect(storableEvent(input)).toEqual({ a: { '＄set': { 'x．y': 1 } }, _proto_: { p: 1 }, list: [{ '＄in': [1] }] });
    const deep = JSON.parse('['.repeat(30) + ']'.repeat(30));
    expect(JSON.stringify(storableEvent(deep))).toContain('[too deep]');
    const real = { type: 'message', source: { type: 'user', userId: 'U1' }, message: { type: 'text', text: 'hi' } };
    expect(storableEvent(real)).toEqual(real);
  });

  it('treats only LINE user ids in 1:1 chats as users', () => {
    const id = `U${'a'.repeat(32)}`;
    expect(lineUserIdOf({ source: { type: 'user', userId: id } })).toBe(id);
    expect(lineUserIdOf({ source: { type: 'group', userId: id } })).toBeNull();
    expect(lineUserIdOf({ source: { type: 'user', userId: 'U1' } })).toBeNull();
    expect(lineUserIdOf({})).toBeNull();
  });
});

describe('reading stored events', () => {
  const at = { webhookEventId: '01STORED', now: new Date('2025-03-01T02:00:00Z') };
  const user = { type: 'user', userId: `U${'b'.repeat(32)}` };

  it('gives handlers the SDK types; newer event and message types arrive unrecognized', () => {
    expect(parseEvent({ type: 'somethingNew', source: user }, at)).toMatchObject({
      type: 'unrecognized',
      lineType: 'somethingNew',
      source: user,
      webhookEventId: '01STORED',
    });
    expect(parseEvent({ type: null }, at)).toMatchObject({ type: 'unrecognized', lineType: 'unknown' });
    expect(parseEvent({ type: 'message', source: user, message: { type: 'nft', id: 'm1' } }, at)).toMatchObject({
      type: 'message',
      message: { type: 'unrecognized', lineType: 'nft', id: 'm1' },
    });
    expect(
      parseEvent({ type: 'message', message: { type: 'text', id: 'm2', text: 'hi', quoteToken: 'q' } }, at),
    ).toMatchObject({ message: { type: 'text', id: 'm2', text: 'hi', quoteToken: 'q' } });
    expect(parseEvent({ type: 'beacon', source: user, beacon: 'x' }, at)).toMatchObject({
      type: 'unrecognized',
      lineType: 'beacon',
    });
  });

  it('reads what a forged body gets wrong the way its absence always read', () => {
    const event = parseEvent(
      {
        type: 'postback',
        source: 'user',
        mode: 'x',
        timestamp: 'soon',
        replyToken: 5,
        postback: { data: 7, params: 1 },
      },
      at,
    );
    expect(event).toMatchObject({
      type: 'postback',
      mode: 'active',
      timestamp: at.now.getTime(),
      postback: { data: '' },
    });
    expect(event.source).toBeUndefined();
    expect(parseEvent({ type: 'follow', source: user }, at)).toMatchObject({
      type: 'follow',
      follow: { isUnblocked: false },
    });
  });
});

describe('timeline summaries', () => {
  // Events are read as the handlers get them: checked once by parseEvent.
  const summaryOf = (event: Record<string, unknown>) =>
    summarizeEvent(parseEvent(event, { webhookEventId: '01TEST', now: new Date() })).summary;
  const messageSummary = (message: Record<string, unknown>) => summaryOf({ type: 'message', message });

  it('reads messages, buttons and events the way a marketer would', () => {
    expect(messageSummary({ type: 'text', text: '你好' })).toBe('你好');
    expect(messageSummary({ type: 'file', fileName: '收據.pdf' })).toBe('[檔案] 收據.pdf');
    expect(messageSummary({ type: 'nft' })).toBe('[nft]');
    expect(summarizePostback({ data: 'persona:birthday:date', params: { date: '1990-05-20' } })).toBe(
      '[問卷] birthday:date 1990-05-20',
    );
    expect(summarizePostback({ data: 'cmd:points' })).toBe('[選單] 點數');
    expect(summarizePostback({ data: 'consent:accept' })).toBe('[個資告知] 同意');
    const script = PersonaScriptSchema.parse(DEFAULT_PERSONA_SCRIPT);
    expect(summarizePostback({ data: 'persona:promotion:pick:free-shipping' }, script)).toBe('[問卷] 偏好優惠：免運');
    expect(summarizePostback({ data: 'persona:price:skip' }, script)).toBe('[問卷] 價格偏好：略過');
    expect(summarizePostback({ data: 'persona:interests:toggle:food' }, script)).toBe('[問卷] 興趣：勾選 美食');
    expect(summarizePostback({ data: 'persona:birthday:date', params: { date: '1990-05-20' } }, script)).toBe(
      '[問卷] 生日：選擇日期 1990-05-20',
    );
    expect(summarizePostback({ data: 'persona:gone:pick:x' }, script)).toBe('[問卷] gone:pick:x');
    expect(summaryOf({ type: 'postback', postback: { data: 42 } })).toBe('[按鈕] ');
    expect(summaryOf({ type: 'follow', follow: { isUnblocked: true } })).toBe('解除封鎖，重新加入好友');
    expect(summaryOf({ type: 'brandNew' })).toBe('LINE 事件：brandNew');
  });

  it('reads what the bot sent in words, not message types', () => {
    const sent = [
      { type: 'text', text: '收到您的貼圖了' },
      { type: 'sticker', packageId: '446', stickerId: '1989' },
      { type: 'flex', altText: '打開會員卡', contents: { type: 'bubble' } },
    ] as LineMessage[];
    expect(summarize(sent)).toBe('收到您的貼圖了 / [貼圖] / [卡片] 打開會員卡');
  });
});

describe('member codes', () => {
  it('are 10 digits with a Luhn check digit that catches a mistyped digit', () => {
    const codes = Array.from({ length: 200 }, generateMemberCode);
    for (const code of codes) {
      expect(code).toMatch(/^[1-9]\d{9}$/);
      expect(isValidMemberCode(code)).toBe(true);
      const typo = code.slice(0, 4) + String((Number(code[4]) + 1) % 10) + code.slice(5);
      expect(isValidMemberCode(typo)).toBe(false);
    }
    expect(new Set(codes).size).toBeGreaterThan(195);
  });
});
