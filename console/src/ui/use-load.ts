import { useCallback, useState } from 'preact/hooks';
import { ApiError } from '@kit/http';
import { useLoad as useKitLoad, type Loaded } from '@kit/use-load';

export type { Loaded };

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('unknown', 0, String(e)));

/** The kit's `useLoad`, keeping the previous data while reloading so tables do not flash. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  return useKitLoad(load, deps, { toError: asApiError, keepStale: true });
}

/** Runs one action at a time (a form submit) and keeps its error for the form to show. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await fn(...args);
      } catch (e) {
        setError(asApiError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fn],
  );
  return { run, busy, error, setError };
}
