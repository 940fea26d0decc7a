import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '@kit/http';
import type { SegmentGroup } from '../../../api/contracts/console';
import { api } from '../api/client';

/** The live audience of a rule being edited: recounted 400 ms after the last change; stale answers are dropped. */
export function useAudienceCount(rule: SegmentGroup): {
  count: number | null;
  ruleText: string;
  error: ApiError | null;
  counting: boolean;
} {
  const [state, setState] = useState<{
    count: number | null;
    ruleText: string;
    error: ApiError | null;
    counting: boolean;
  }>({ count: null, ruleText: '', error: null, counting: true });
  const key = JSON.stringify(rule);
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, counting: true }));
    const timer = setTimeout(() => {
      api.segments.count(rule).then(
        (r) => !cancelled && setState({ count: r.count, ruleText: r.ruleText, error: null, counting: false }),
        (e) =>
          !cancelled &&
          setState({
            count: null,
            ruleText: '',
            error: e instanceof ApiError ? e : new ApiError('unknown', 0, String(e)),
            counting: false,
          }),
      );
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the rule compared by value
  }, [key]);
  return state;
}
