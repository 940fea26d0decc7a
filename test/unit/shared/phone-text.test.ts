import { maskPhonesInText } from '../../../domain/shared/phone';

describe('maskPhonesInText (staff views of free text, #16.6)', () => {
  it('masks every Taiwan mobile in a message, in the spellings people type', () => {
    expect(maskPhonesInText('我的手機是 0912-345-678，謝謝')).toBe('我的手機是 0912***678，謝謝');
    expect(maskPhonesInText('+886 912 345 678 或 0987654321')).toBe('0912***678 或 0987***321');
  });

  it('leaves other numbers alone (order ids, amounts, landlines)', () => {
    const text = '訂單 A20250101 金額 1280 元，電話 02-2345-6789，會員 1000012345';
    expect(maskPhonesInText(text)).toBe(text);
  });
});
