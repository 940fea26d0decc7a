import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A modal sheet: the page behind is inert while it is open. */
export function Dialog({
  title,
  children,
  onClose,
  testId,
}: {
  title: string;
  children: ComponentChildren;
  onClose?: () => void;
  testId?: string;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose?.();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose?.()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

let showToast: ((text: string) => void) | null = null;

/** A short confirmation at the bottom of the screen ("已儲存"). */
export function toast(text: string): void {
  showToast?.(text);
}

export function ToastHost() {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    showToast = (next) => {
      setText(next);
      clearTimeout(timer);
      timer = setTimeout(() => setText(null), 2500);
    };
    return () => {
      showToast = null;
      clearTimeout(timer);
    };
  }, []);
  return text ? (
    <div class="toast" role="status" data-testid="toast">
      {text}
    </div>
  ) : null;
}
