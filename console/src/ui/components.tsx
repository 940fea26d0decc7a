import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '@kit/http';
import { inAppClick } from '@kit/router';
import { t } from '../i18n';
import { BASE, navigate } from '../router';

/** An in-app link: a real href (open in new tab works), client-side navigation on a plain click. */
export function Link(props: { href: string; class?: string; children: ComponentChildren; title?: string }) {
  return (
    <a
      href={`${BASE}${props.href}`}
      class={props.class}
      title={props.title}
      onClick={inAppClick(() => navigate(props.href))}>
      {props.children}
    </a>
  );
}

export function PageHeader(props: {
  title: string;
  children?: ComponentChildren;
  back?: { href: string; label: string };
}) {
  return (
    <header class="page-header">
      <div>
        {props.back && (
          <Link href={props.back.href} class="back">
            {props.back.label}
          </Link>
        )}
        <h1>{props.title}</h1>
      </div>
      {props.children && <div class="page-actions">{props.children}</div>}
    </header>
  );
}

export function Card(props: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  testId?: string;
}) {
  return (
    <section class={`card ${props.class ?? ''}`} data-testid={props.testId}>
      {(props.title || props.actions) && (
        <div class="card-head">
          <h2>{props.title}</h2>
          {props.actions && <div class="card-actions">{props.actions}</div>}
        </div>
      )}
      {props.children}
    </section>
  );
}

export function Field(props: {
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <label class={`field ${props.error ? 'has-error' : ''} ${props.class ?? ''}`}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.hint && !props.error && <span class="field-hint">{props.hint}</span>}
      {props.error && (
        <span class="field-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}

export function ErrorBanner(props: { error: ApiError | null; onRetry?: () => void }) {
  if (!props.error) return null;
  const fields = Object.entries(props.error.fields);
  return (
    <div class="banner banner-error" role="alert">
      <p>{props.error.message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([path, msg]) => (
            <li key={path}>
              <code>{path}</code> {msg}
            </li>
          ))}
        </ul>
      )}
      {props.onRetry && (
        <button type="button" class="btn btn-small" onClick={props.onRetry}>
          {t.common.retry}
        </button>
      )}
    </div>
  );
}

export function Notice(props: { kind?: 'ok' | 'info' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`banner banner-${props.kind ?? 'info'}`} role="status">
      {props.children}
    </div>
  );
}

export function Spinner(props: { label?: string }) {
  return (
    <div class="spinner" role="status" aria-live="polite">
      <span class="spinner-dot" />
      {props.label ?? t.common.loading}
    </div>
  );
}

export function Empty(props: { children?: ComponentChildren }) {
  return <p class="empty">{props.children ?? t.common.empty}</p>;
}

export function Badge(props: {
  children: ComponentChildren;
  tone?: 'green' | 'gray' | 'red' | 'amber' | 'blue' | 'teal';
  title?: string;
}) {
  return (
    <span class={`badge badge-${props.tone ?? 'gray'}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function Pager(props: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav class="pager" aria-label="pagination">
      <span>{t.common.total(props.total.toLocaleString('zh-TW'))}</span>
      <button
        type="button"
        class="btn btn-small"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}>
        {t.common.prev}
      </button>
      <span>{t.common.page(props.page, pages)}</span>
      <button
        type="button"
        class="btn btn-small"
        disabled={props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}>
        {t.common.nextPage}
      </button>
    </nav>
  );
}

export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      class={`modal ${props.wide ? 'modal-wide' : ''}`}
      onClose={props.onClose}
      onCancel={props.onClose}>
      <div class="modal-head">
        <h2>{props.title}</h2>
        <button type="button" class="icon-btn" aria-label={t.common.close} onClick={props.onClose}>
          ×
        </button>
      </div>
      <div class="modal-body">{props.children}</div>
    </dialog>
  );
}

export function ProgressBar(props: { value: number; max: number; label?: string }) {
  const pct = props.max > 0 ? Math.min(100, Math.round((props.value / props.max) * 100)) : 0;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={props.max}
      aria-valuenow={props.value}
      aria-label={props.label}>
      <div class="progress-bar" style={{ width: `${pct}%` }} />
      <span class="progress-text">{props.label ?? `${pct}%`}</span>
    </div>
  );
}

export function Tabs<K extends string>(props: { tabs: Array<[K, string]>; active: K; onChange: (k: K) => void }) {
  return (
    <div class="tabs" role="tablist">
      {props.tabs.map(([key, label]) => (
        <button
          key={key}
          type="button"
          role="tab"
          aria-selected={props.active === key}
          class={props.active === key ? 'tab active' : 'tab'}
          onClick={() => props.onChange(key)}>
          {label}
        </button>
      ))}
    </div>
  );
}

export function Stat(props: {
  label: string;
  value: ComponentChildren;
  hint?: ComponentChildren;
  testId?: string;
  /** The figure's definition, shown as a tooltip. */
  title?: string;
}) {
  return (
    <div class="stat" data-testid={props.testId} title={props.title}>
      <span class="stat-label">{props.label}</span>
      <strong class="stat-value">{props.value}</strong>
      {props.hint && <span class="stat-hint">{props.hint}</span>}
    </div>
  );
}

/** Reads a text input's value from an event (keeps handlers one-liners). */
export const valueOf = (e: JSX.TargetedEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, Event>) =>
  e.currentTarget.value;
