import { chooseMenu, inSchedule, type MemberState, type RuledMenu } from '../../../domain/richmenus/richmenu-rules';
import { checkRichMenuImage, readImageInfo } from '../../../domain/richmenus/richmenu-image-rules';
import { checkLineRichMenu } from '../../../domain/messaging/line-rules/line-message-rules';
import { buildLineRichMenu } from '../../../domain/richmenus/richmenu-build';
import { BrandSchema, DEFAULT_BRAND } from '../../../domain/program/program-settings.schema';
import { makePng } from '../../helpers/line-emulator';

const state = (over: Partial<MemberState> = {}): MemberState => ({
  consentStatus: 'accepted',
  tierCode: 'basic',
  tags: [],
  ...over,
});
const menu = (id: string, rule: RuledMenu['rule'], published = true): RuledMenu => ({ id, rule, published });
const now = new Date('2026-03-10T04:00:00Z');
const MENUS = [
  menu('pending', { kind: 'pending', priority: 90 }),
  menu('member', { kind: 'member', priority: 50 }),
  menu('gold', { kind: 'tier', value: 'gold', priority: 10 }),
  menu('vip', { kind: 'tag', value: 'VIP', priority: 20 }),
  menu('seg', { kind: 'segment', value: 'a'.repeat(24), priority: 5 }),
];

describe('#14.3 rule evaluation', () => {
  it('picks by member state in priority order', () => {
    expect(chooseMenu(MENUS, state({ consentStatus: 'pending' }), now)).toBe('pending');
    expect(chooseMenu(MENUS, state({ consentStatus: 'declined' }), now)).toBe('pending');
    expect(chooseMenu(MENUS, state(), now)).toBe('member');
    expect(chooseMenu(MENUS, state({ tierCode: 'gold', tags: ['VIP'] }), now)).toBe('gold');
    expect(chooseMenu(MENUS, state({ tags: ['VIP'] }), now)).toBe('vip');
  });

  it('decides segment rules only where segments were evaluated, and keeps a segment menu meanwhile', () => {
    expect(chooseMenu(MENUS, state({ segmentIds: ['a'.repeat(24)] }), now)).toBe('seg');
    expect(chooseMenu(MENUS, state({ segmentIds: [] }), now)).toBe('member');
    expect(chooseMenu(MENUS, state(), now)).toBe('member');
    expect(chooseMenu(MENUS, state(), now, 'seg')).toBe('seg');
  });

  it('skips unpublished menus and menus outside their schedule', () => {
    const campaign = menu('sale', {
      kind: 'member',
      priority: 1,
      from: new Date('2026-03-01'),
      to: new Date('2026-03-10'),
    });
    expect(chooseMenu([...MENUS, campaign], state(), new Date('2026-03-05'))).toBe('sale');
    expect(chooseMenu([...MENUS, campaign], state(), new Date('2026-03-10'))).toBe('member');
    expect(inSchedule({ from: new Date('2026-03-11') }, now)).toBe(false);
    expect(chooseMenu([menu('member', { kind: 'member', priority: 1 }, false)], state(), now)).toBeNull();
  });
});

describe('#14.2 image checks', () => {
  it('accepts LINE sizes and refuses each broken rule in zh-TW', () => {
    expect(checkRichMenuImage(makePng(2500, 1686), 'image/png').problems).toEqual([]);
    expect(checkRichMenuImage(makePng(800, 250)).problems).toEqual([]);
    expect(checkRichMenuImage(makePng(799, 300)).problems.join()).toContain('寬度必須介於 800 到 2500');
    expect(checkRichMenuImage(makePng(2501, 1000)).problems.join()).toContain('寬度必須介於 800 到 2500');
    expect(checkRichMenuImage(makePng(1000, 240)).problems.join()).toContain('高度至少 250');
    expect(checkRichMenuImage(makePng(1450, 1001)).problems.join()).toContain('寬高比');
    expect(checkRichMenuImage(makePng(1450, 1000)).problems).toEqual([]);
    const big = Buffer.concat([makePng(2500, 843), Buffer.alloc(1024 * 1024)]);
    expect(checkRichMenuImage(big).problems.join()).toContain('最大 1 MB');
    expect(checkRichMenuImage(Buffer.from('GIF89a')).problems).toEqual(['圖片格式只能是 PNG 或 JPEG']);
    expect(checkRichMenuImage(makePng(2500, 843), 'image/jpeg').problems.join()).toContain('不符');
  });

  it('reads JPEG sizes from the SOF header', () => {
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x03, 0x4b, 0x09, 0xc4, 0x03, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(readImageInfo(jpeg)).toEqual({ kind: 'jpeg', width: 2500, height: 843 });
  });
});

describe('#14.2 rich-menu object validation', () => {
  const links = { card: (p?: string) => `https://liff.line.me/1650000000-abcd/${p ?? ''}` };
  it('builds template menus that pass the product validator, switch actions included', () => {
    const m = buildLineRichMenu(
      {
        id: 'b'.repeat(24),
        name: '會員',
        chatBarText: '會員選單',
        layout: 'tabs2',
        tabs: { labels: ['會員專區', '最新活動'], index: 0, peerId: 'c'.repeat(24) },
        areas: [],
        tiles: Array.from({ length: 6 }, () => ({
          label: '點數',
          hint: '',
          action: { type: 'keyword' as const, text: '點數' },
        })),
      },
      links,
    );
    expect(m.areas).toHaveLength(8);
    expect(checkLineRichMenu(m)).toEqual([]);
  });

  it('refuses what LINE refuses', () => {
    const issues = checkLineRichMenu({
      size: { width: 1000, height: 1000 },
      selected: true,
      name: 'x',
      chatBarText: '這段選單列文字實在太長了超過十四',
      areas: [
        {
          bounds: { x: 900, y: 0, width: 200, height: 100 },
          action: { type: 'richmenuswitch', data: 'x', richMenuAliasId: '壞' },
        },
      ],
    });
    const text = issues.map((i) => i.message).join('\n');
    expect(text).toContain('寬高比');
    expect(text).toContain('選單列文字');
    expect(text).toContain('超出');
    expect(text).toContain('切換目標的代號');
  });
});

describe('#14.1 brand schema', () => {
  it('the demo brand is valid and bad values get zh-TW messages', () => {
    expect(BrandSchema.safeParse(DEFAULT_BRAND).success).toBe(true);
    const bad = BrandSchema.safeParse({
      ...DEFAULT_BRAND,
      primaryColor: '#06C75',
      phone: '1234',
      privacyUrl: 'http://x.tw',
    });
    const text = bad.error!.issues.map((i) => i.message).join('\n');
    expect(text).toContain('#RRGGBB');
    expect(text).toContain('電話格式不正確');
    expect(text).toContain('https://');
  });
});
