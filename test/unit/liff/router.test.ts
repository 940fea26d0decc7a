import { parseRoute } from '../../../liff-app/src/router';

/** The card's paths match LIFF deep links (https://liff.line.me/{liffId}/coupons → /liff/coupons). */
describe('parseRoute', () => {
  it.each([
    ['/liff/', { name: 'card' }],
    ['/liff', { name: 'card' }],
    ['/liff/card', { name: 'card' }],
    ['/liff/coupons', { name: 'coupons' }],
    ['/liff/coupons/', { name: 'coupons' }],
    ['/liff/coupons/exchange', { name: 'exchange' }],
    ['/liff/coupons/65f0c0ffee0000000000abcd', { name: 'coupon', id: '65f0c0ffee0000000000abcd' }],
    ['/liff/points', { name: 'points' }],
    ['/liff/referral', { name: 'referral' }],
    ['/liff/profile', { name: 'profile' }],
    ['/liff/nope', { name: 'notFound' }],
    ['/liff/points/extra', { name: 'notFound' }],
  ])('%s → %o', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});
