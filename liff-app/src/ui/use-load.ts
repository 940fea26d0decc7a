import { ApiError } from '@kit/http';
import { useLoad as useKitLoad, type Loaded } from '@kit/use-load';
import { t } from '../i18n/zh-TW';

export type { Loaded };

/** The kit's `useLoad` with the card's words for unknown failures; a failed reload shows the error screen. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  return useKitLoad(load, deps, { toError: asApiError });
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // Re-login in progress: LINE Login is about to replace the page.
  if (err instanceof Error && err.name === 'Redirecting')
    return new ApiError('redirecting', 0, t.errors.sessionExpired);
  return new ApiError('client', 0, t.errors.server);
}
