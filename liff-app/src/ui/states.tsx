import { Component, type ComponentChildren } from 'preact';
import { ApiError } from '@kit/http';
import { t } from '../i18n/zh-TW';
import { Icon, type IconName } from './icons';

/** Placeholder blocks in the shape of the content, so the page never flashes blank. */
export function Skeleton({ lines = 3, card = false }: { lines?: number; card?: boolean }) {
  return (
    <div class="skeleton" aria-busy="true" aria-label={t.loading}>
      {card && <div class="sk sk-card" />}
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} class="sk sk-line" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}

export function Spinner({ label = t.loading }: { label?: string }) {
  return (
    <div class="spinner-wrap" role="status">
      <span class="spinner" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({
  icon = 'gift',
  text,
  children,
}: {
  icon?: IconName;
  text: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="empty" data-testid="empty">
      <div class="empty-icon">
        <Icon name={icon} size={44} />
      </div>
      <p>{text}</p>
      {children}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="error-state" role="alert" data-testid="error">
      <div class="empty-icon">
        <Icon name="alert" size={44} />
      </div>
      <p>{error.message || t.errors.server}</p>
      {/* Reloading cannot bring back what does not exist (a deleted or someone else's coupon): no 重新整理 for a 404. */}
      {onRetry && error.status !== 404 && (
        <button class="btn btn-secondary" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

/** Inline message under a form or action (role=alert so screen readers announce it). */
export function InlineError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p class="inline-error" role="alert">
      {message}
    </p>
  );
}

/** A screen that crashed while rendering shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<
  { children: ComponentChildren; resetKey?: string },
  { failed: boolean; key?: string }
> {
  state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidUpdate() {
    // Navigating to another screen gives it a fresh chance.
    if (this.state.failed && this.props.resetKey !== this.state.key)
      this.setState({ failed: false, key: this.props.resetKey });
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return <ErrorState error={new ApiError('client', 0, t.errors.server)} onRetry={() => location.reload()} />;
  }
}
