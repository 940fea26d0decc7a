import { Types } from 'mongoose';
import { toWire } from '../../../api/console/presenters/wire';
import { ApiError, queryString } from '@kit/http';
import { matchPath } from '@kit/router';

describe('toWire (domain → what travels)', () => {
  it('turns instants into ISO strings and ids into hex, deep inside objects and arrays, exactly as JSON would', () => {
    const id = new Types.ObjectId();
    const value = {
      at: new Date('2025-05-20T02:00:00Z'),
      id,
      rows: [{ seen: new Date('2025-01-01T00:00:00Z'), n: 1, gone: undefined }],
      none: null,
    };
    const wire = toWire(value);
    expect(wire).toEqual({
      at: '2025-05-20T02:00:00.000Z',
      id: id.toHexString(),
      rows: [{ seen: '2025-01-01T00:00:00.000Z', n: 1, gone: undefined }],
      none: null,
    });
    expect(JSON.stringify(wire)).toBe(JSON.stringify(value));
  });
});

describe('the front-end kit', () => {
  it('queryString leaves out what is not set', () => {
    expect(queryString({ q: '王', page: 2, empty: '', none: null, missing: undefined, on: true })).toBe(
      '?q=%E7%8E%8B&page=2&on=true',
    );
    expect(queryString({})).toBe('');
    expect(queryString(undefined)).toBe('');
  });

  it('ApiError reads the add-friend URL from the details', () => {
    expect(
      new ApiError('not_following', 403, '請先加入好友', {}, { addFriendUrl: 'https://line.me/R/ti/p/@huigo' })
        .addFriendUrl,
    ).toBe('https://line.me/R/ti/p/@huigo');
    expect(new ApiError('network', 0, '網路').addFriendUrl).toBeUndefined();
  });

  it('matchPath reads `/members/:id` params', () => {
    expect(matchPath('/members/:id', '/members/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/members/:id', '/members')).toBeNull();
    expect(matchPath('/segments/new', '/segments/new')).toEqual({});
  });
});
