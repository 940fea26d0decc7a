import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { t } from '../i18n/zh-TW';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  set: (data: T) => void;
}

/** Runs `load` on mount (and on `reload()`), tracking loading/error so views never show a blank screen. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => alive && setState({ data, error: null, loading: false }),
      (err) => alive && setState({ data: null, error: asApiError(err), loading: false }),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, set };
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // Re-login in progress: LINE Login is about to replace the page.
  if (err instanceof Error && err.name === 'Redirecting') return new ApiError('redirecting', 0, t.errors.sessionExpired);
  return new ApiError('client', 0, t.errors.server);
}
