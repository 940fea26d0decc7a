import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

/**
 * The server's rendering of what is being composed (links as the customer will read them), asked for half a second
 * after the last change; `key` is the draft as the API reads it. Null until the first answer, and after a refusal.
 */
export function useServerPreview<T>(key: string, load: (() => Promise<T>) | null): T | null {
  const [data, setData] = useState<T | null>(null);
  useEffect(() => {
    if (!load) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      load().then(
        (p) => !cancelled && setData(p),
        () => !cancelled && setData(null),
      );
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the draft as the API reads it
  }, [key]);
  return data;
}

/**
 * A LINE chat as the member will see it: text bubbles, images, and flex bubbles drawn from their JSON (boxes,
 * texts, images, buttons, separators — enough for our templates and most hand-written cards).
 */
export function LinePreview(props: {
  messages: Array<Record<string, unknown>>;
  couponNotice?: string;
  accountName?: string;
}) {
  return (
    <div class="line-phone" data-testid="line-preview">
      <div class="line-bar">{props.accountName ?? t.campaigns.accountName}</div>
      <div class="line-chat">
        {props.messages.map((m, i) => (
          <div key={i} class="line-row">
            <span class="line-avatar">{t.app.mark}</span>
            <Message m={m} />
          </div>
        ))}
        {props.couponNotice && (
          <div class="line-row">
            <span class="line-avatar">{t.app.mark}</span>
            <div class="line-bubble">{props.couponNotice}</div>
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * The image URL the preview may load: LINE shows only https images (an http:// one is refused at save), so the
 * preview never fetches anything else and shows the empty frame instead; same-origin URLs (local mode) load too.
 */
function previewSrc(url: unknown): string | undefined {
  const s = typeof url === 'string' ? url : '';
  if (s.startsWith('https://')) return s;
  try {
    if (new URL(s).origin === window.location.origin) return s;
  } catch {
    // not a URL: nothing to load
  }
  return undefined;
}

function Message({ m }: { m: Record<string, unknown> }) {
  if (m.type === 'text') return <div class="line-bubble">{String(m.text ?? '')}</div>;
  if (m.type === 'image')
    return <img class="line-image" src={previewSrc(m.previewImageUrl || m.originalContentUrl)} alt="" />;
  if (m.type === 'flex') {
    const c = m.contents as Record<string, unknown> | undefined;
    if (c?.type === 'carousel')
      return (
        <div class="line-carousel">
          {((c.contents as Array<Record<string, unknown>>) ?? []).map((b, i) => (
            <Bubble key={i} b={b} />
          ))}
        </div>
      );
    return c ? <Bubble b={c} /> : null;
  }
  return <div class="line-bubble muted">[{String(m.type)}]</div>;
}

function Bubble({ b }: { b: Record<string, unknown> }) {
  return (
    <div class="flex-bubble">
      {b.header ? <Node n={b.header as Node} /> : null}
      {b.hero ? <Node n={b.hero as Node} /> : null}
      {b.body ? (
        <div class="flex-section">
          <Node n={b.body as Node} />
        </div>
      ) : null}
      {b.footer ? (
        <div class="flex-section flex-footer">
          <Node n={b.footer as Node} />
        </div>
      ) : null}
    </div>
  );
}

type Node = Record<string, unknown> & { type?: string; contents?: Node[] };
const SIZES: Record<string, string> = {
  xxs: '10px',
  xs: '11px',
  sm: '13px',
  md: '15px',
  lg: '17px',
  xl: '19px',
  xxl: '23px',
  '3xl': '27px',
};
const GAPS: Record<string, string> = {
  none: '0',
  xs: '2px',
  sm: '4px',
  md: '8px',
  lg: '12px',
  xl: '16px',
  xxl: '20px',
};

function Node({ n }: { n: Node }): JSX.Element | null {
  switch (n.type) {
    case 'box': {
      const style: JSX.CSSProperties = {
        display: 'flex',
        flexDirection: n.layout === 'horizontal' || n.layout === 'baseline' ? 'row' : 'column',
        gap: GAPS[String(n.spacing)] ?? '0',
        alignItems: n.layout === 'baseline' ? 'baseline' : undefined,
        backgroundColor: n.backgroundColor as string | undefined,
        padding: GAPS[String(n.paddingAll)] ?? undefined,
      };
      return (
        <div style={style}>
          {(n.contents ?? []).map((c, i) => (
            <Node key={i} n={c} />
          ))}
        </div>
      );
    }
    case 'text':
      return (
        <p
          style={{
            fontSize: SIZES[String(n.size)] ?? '15px',
            fontWeight: n.weight === 'bold' ? 700 : 400,
            color: (n.color as string) ?? '#111',
            textAlign: n.align as 'left' | 'center' | 'right' | undefined,
            margin: 0,
            whiteSpace: n.wrap ? 'pre-wrap' : 'nowrap',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}>
          {String(n.text ?? '')}
        </p>
      );
    case 'image':
      return (
        <img
          src={previewSrc(n.url)}
          alt=""
          style={{
            width: '100%',
            aspectRatio: String(n.aspectRatio ?? '1:1').replace(':', '/'),
            objectFit: n.aspectMode === 'cover' ? 'cover' : 'contain',
            display: 'block',
            background: '#eee',
          }}
        />
      );
    case 'button': {
      const a = n.action as { label?: string } | undefined;
      const primary = n.style === 'primary';
      return (
        <span
          class="flex-button"
          style={{
            background: primary ? ((n.color as string) ?? '#17c950') : 'transparent',
            color: primary ? '#fff' : ((n.color as string) ?? '#42659a'),
          }}>
          {a?.label ?? ''}
        </span>
      );
    }
    case 'separator':
      return <hr class="flex-separator" />;
    case 'spacer':
      return <div style={{ height: GAPS[String(n.size)] ?? '8px' }} />;
    default:
      return null;
  }
}
