import { forEachLimit } from '../../../domain/shared/concurrency';

const tick = () => new Promise((r) => setImmediate(r));

describe('forEachLimit', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimit([...Array(25).keys()], 4, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
      done.push(i);
    });
    expect(most).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
  });

  it('rejects with the first error once the started calls settled, and starts no new ones', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = forEachLimit([...Array(10).keys()], 3, async (i) => {
      started.push(i);
      await tick();
      settled++;
      if (i === 1) throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(settled).toBe(started.length);
    expect(started.length).toBeLessThan(10);
  });

  it('handles an empty list', async () => {
    await expect(forEachLimit([], 8, async () => undefined)).resolves.toBeUndefined();
  });
});
