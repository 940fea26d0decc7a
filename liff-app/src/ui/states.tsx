import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import { t } from '../i18n/zh-TW';

/** Placeholder blocks in the shape of the content, so the page never flashes blank. */
export function Skeleton({ lines = 3, card = false }: { lines?: number; card?: boolean }) {
  return (
    <div class="skeleton" aria-busy="true" aria-label={t.loading}>
      {card && <div class="sk sk-card" />}
      {Array.from({ length: lines }, (_, i) => <div key={i} class="sk sk-line" style={{ width: `${90 - i * 15}%` }} />)}
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

export function EmptyState({ icon = '🎁', text, children }: { icon?: string; text: string; children?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty">
      <div class="empty-icon" aria-hidden="true">{icon}</div>
      <p>{text}</p>
      {children}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="error-state" role="alert" data-testid="error">
      <div class="empty-icon" aria-hidden="true">⚠️</div>
      <p>{error.message || t.errors.server}</p>
      {onRetry && <button class="btn btn-secondary" onClick={onRetry}>{t.retry}</button>}
    </div>
  );
}

/** Inline message under a form or action (role=alert so screen readers announce it). */
export function InlineError({ message }: { message?: string | null }) {
  if (!message) return null;
  return <p class="inline-error" role="alert">{message}</p>;
}
