import { loadingWhenSlow } from '../../../bot/handlers';
import type { BotContext } from '../../../bot/handlers/context';

/** A bot context with only what loadingWhenSlow reads: the messenger's showLoading, the setting, the log. */
function context(loadingAfterMs: number, firstAttempt = true) {
  const calls: Array<{ userId: string; seconds: number; at: number }> = [];
  let finish: (() => void) | null = null;
  const started = Date.now();
  const bc = {
    firstAttempt,
    deps: {
      config: { chat: { loadingAfterMs } },
      messenger: {
        showLoading: (userId: string, seconds: number) => {
          calls.push({ userId, seconds, at: Date.now() - started });
          return new Promise<void>((resolve) => (finish = resolve));
        },
      },
    },
    log: { debug: () => undefined },
  } as unknown as BotContext;
  return { bc, calls, finishRequest: () => finish?.() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('loading animation only when the answer is slow', () => {
  it('an answer ready before the delay makes no LINE call, then or later', async () => {
    const { bc, calls } = context(40);
    const loading = loadingWhenSlow(bc, 'U1')!;
    await loading.settle();
    await sleep(80);
    expect(calls).toEqual([]);
  });

  it('an answer not ready after the delay gets the animation, and waits for that request before it is sent', async () => {
    const { bc, calls, finishRequest } = context(20);
    const loading = loadingWhenSlow(bc, 'U1')!;
    await sleep(60);
    expect(calls).toEqual([expect.objectContaining({ userId: 'U1', seconds: 5 })]);
    expect(calls[0].at).toBeGreaterThanOrEqual(19);
    let settled = false;
    const settling = loading.settle().then(() => (settled = true));
    await sleep(10);
    expect(settled).toBe(false); // the request is still in flight: the answer waits for it
    finishRequest();
    await settling;
    expect(settled).toBe(true);
  });

  it('0 starts it at once; a retried event never shows it', async () => {
    const now = context(0);
    loadingWhenSlow(now.bc, 'U2');
    expect(now.calls).toHaveLength(1);
    const retry = context(0, false);
    expect(loadingWhenSlow(retry.bc, 'U3')).toBeNull();
    expect(retry.calls).toEqual([]);
  });

  it('a refused request never fails the answer', async () => {
    const { bc } = context(0);
    (bc.deps.messenger as { showLoading: unknown }).showLoading = () => Promise.reject(new Error('429'));
    await expect(loadingWhenSlow(bc, 'U4')!.settle()).resolves.toBeUndefined();
  });
});
