import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiError } from './http';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

export interface LoadOptions {
  /** Turns whatever `load` threw into the app's `ApiError` (with the app's words for the unknown). */
  toError: (err: unknown) => ApiError;
  /**
   * Keep the previous data and error while reloading, and the data when a reload fails (the console's tables do not
   * flash). Without it a reload clears the error and a failure clears the data (the card shows its error screen).
   */
  keepStale?: boolean;
}

/**
 * Runs `load` on mount, when `deps` change and on `reload()`, tracking loading and error so screens never show a
 * blank page. A result that arrives after a newer load started (or after unmount) is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], opts: LoadOptions): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => (opts.keepStale ? { ...s, loading: true } : { ...s, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (err) =>
        current &&
        setState((s) => ({ data: opts.keepStale ? s.data : null, error: opts.toError(err), loading: false })),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const setData = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, setData };
}
