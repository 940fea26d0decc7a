import { can, permissionsOf } from '../../../domain/staff/roles';
import { buildFlexMessage, FLEX_DEFAULTS, readFlexTemplate } from '../../../console/src/campaigns/flex-templates';
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
    expect(readFlexTemplate(message.contents)).toEqual({ kind, fields });
  });

  it('a hand-written bubble is not mistaken for a template', () => {
    expect(
      readFlexTemplate({
        type: 'bubble',
        body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'hi' }] },
      }),
    ).toBeNull();
  });
});
