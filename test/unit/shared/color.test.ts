import {
  brandButtonStyle,
  contrastRatio,
  INK,
  readableTextColor,
  textColorOnWhite,
  WHITE,
} from '../../../shared/color';

describe('brand colours made readable', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#FFFFFF', '#FFFFFF')).toBeCloseTo(1, 5);
    // #767676 is the lightest grey that passes WCAG AA on white (4.54:1).
    expect(contrastRatio('#767676', '#FFFFFF')).toBeCloseTo(4.54, 1);
  });

  it('picks white text on a dark brand colour and dark text on a light one', () => {
    expect(readableTextColor('#0f766e')).toBe(WHITE); // the demo brand's teal
    expect(readableTextColor('#1d4ed8')).toBe(WHITE);
    expect(readableTextColor('#f59e0b')).toBe(INK); // amber
    expect(readableTextColor('#fde68a')).toBe(INK);
    expect(readableTextColor('not a colour')).toBe(WHITE);
  });

  it('gives a light brand colour the secondary (dark text) LINE button style', () => {
    expect(brandButtonStyle('#0f766e')).toBe('primary');
    expect(brandButtonStyle('#f59e0b')).toBe('secondary');
  });

  it('keeps a readable colour as it is and darkens a light one until it reads on white', () => {
    expect(textColorOnWhite('#0f766e')).toBe('#0f766e');
    const amber = textColorOnWhite('#f59e0b');
    expect(amber).not.toBe('#f59e0b');
    expect(contrastRatio(amber, '#FFFFFF')).toBeGreaterThanOrEqual(3);
    // Same hue, darker: red still leads green, green still leads blue.
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(amber.slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
    expect(textColorOnWhite('#FFFFFF')).toMatch(/^#[0-9A-F]{6}$/);
    expect(contrastRatio(textColorOnWhite('#FFFFFF'), '#FFFFFF')).toBeGreaterThanOrEqual(3);
  });
});
