import { isLineUserId, isObjectId, lineUserIdSchema, objectIdSchema } from '../../../shared/ids';

describe('shared id checks', () => {
  it('accept ObjectIds in either case and LINE user ids in lowercase only', () => {
    expect(isObjectId('0123456789abcdef01234567')).toBe(true);
    expect(isObjectId('0123456789ABCDEF01234567')).toBe(true);
    expect(isObjectId('0123456789abcdef0123456')).toBe(false);
    expect(isObjectId(42)).toBe(false);
    expect(isLineUserId(`U${'a'.repeat(32)}`)).toBe(true);
    expect(isLineUserId(`U${'A'.repeat(32)}`)).toBe(false);
    expect(isLineUserId('U1')).toBe(false);
  });

  it('word their zod errors once, with a message parameter for ObjectIds', () => {
    expect(objectIdSchema().safeParse('x').error?.issues[0].message).toBe('編號格式不正確');
    expect(objectIdSchema('找不到').safeParse('x').error?.issues[0].message).toBe('找不到');
    expect(lineUserIdSchema.safeParse('U1').error?.issues[0].message).toBe(
      'LINE userId 應為 U 開頭加 32 個十六進位字元',
    );
  });
});
