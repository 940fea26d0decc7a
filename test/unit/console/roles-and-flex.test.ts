import { can, permissionsOf } from '../../../domain/staff/roles';
import {
  buildFlexMessage,
  DEFAULT_FLEX_COLORS,
  FLEX_DEFAULTS,
  readFlexTemplate,
} from '../../../console/src/campaigns/flex-templates';
import { checkLineMessage } from '../../../domain/messaging/line-rules/line-message-rules';
import { contrastRatio } from '../../../shared/color';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../../domain/staff/password';

describe('console roles', () => {
  it('staff work the counter and the inbox; marketers run the program but not accounts; admins do everything', () => {
    expect(permissionsOf('staff')).toEqual(['counter', 'points.adjust', 'inbox']);
    expect(can('marketer', 'inbox')).toBe(true);
    expect(can('marketer', 'campaigns')).toBe(true);
    expect(can('marketer', 'users')).toBe(false);
    expect(can('marketer', 'settings')).toBe(false);
    expect(can('marketer', 'api-keys')).toBe(false);
    expect(can('staff', 'members.read')).toBe(false);
    expect(can('admin', 'coupons.reverse')).toBe(true);
    // Refunds give money, credit and points back: an admin's by default (#16).
    expect(can('admin', 'purchases.refund')).toBe(true);
    expect(can('marketer', 'purchases.refund')).toBe(false);
    expect(can('staff', 'purchases.refund')).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with scrypt, verifies, and rejects a wrong password or a tampered hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', hash.replace(/.$/, 'A'))).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('generates readable passwords that pass the house rule', () => {
    const pw = generatePassword();
    expect(pw).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(passwordProblem(pw)).toBeNull();
    expect(passwordProblem('short')).toMatch(/10/);
    expect(passwordProblem('12345678901')).toMatch(/數字/);
  });
});

describe('flex templates', () => {
  it.each(['offer', 'coupon', 'news'] as const)('a %s bubble reads back into the same form fields', (kind) => {
    const fields = { ...FLEX_DEFAULTS[kind], imageUrl: kind === 'coupon' ? '' : 'https://example.com/a.jpg' };
    const message = buildFlexMessage(kind, fields, '通知文字');
    expect(message).toMatchObject({ type: 'flex', altText: '通知文字', contents: { type: 'bubble' } });
    expect(readFlexTemplate(message.contents)).toEqual({ kind, fields, colors: DEFAULT_FLEX_COLORS });
  });

  // The demo brand's teal and amber: a light accent must still read (dark button text, darker price text).
  const brand = { primary: '#0f766e', accent: '#f59e0b' };

  it.each(['offer', 'coupon', 'news'] as const)(
    'a %s bubble wears the brand colours, passes the LINE rules and reopens with them',
    (kind) => {
      const fields = { ...FLEX_DEFAULTS[kind], imageUrl: kind === 'coupon' ? '' : 'https://example.com/a.jpg' };
      const message = buildFlexMessage(kind, fields, '通知文字', brand);
      expect(checkLineMessage(message)).toEqual([]);
      const button = (message.contents.footer as { contents: Array<Record<string, string>> }).contents[0];
      if (kind === 'coupon') expect(button).toMatchObject({ color: '#f59e0b', style: 'secondary' });
      else expect(button).toMatchObject({ color: '#0f766e', style: 'primary' });
      const texts = (message.contents.body as { contents: Array<{ color?: string }> }).contents;
      for (const t of texts.filter((x) => x.color && x.color !== '#555555'))
        expect(contrastRatio(t.color!, '#FFFFFF')).toBeGreaterThanOrEqual(3);
      const back = readFlexTemplate(message.contents);
      expect(back).toMatchObject({ kind, fields });
      // Building again with what was read back gives the very same bubble (a saved campaign reopens unchanged).
      expect(buildFlexMessage(kind, back!.fields, '通知文字', back!.colors)).toEqual(message);
    },
  );

  it('a hand-written bubble is not mistaken for a template', () => {
    expect(
      readFlexTemplate({
        type: 'bubble',
        body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'hi' }] },
      }),
    ).toBeNull();
  });
});
