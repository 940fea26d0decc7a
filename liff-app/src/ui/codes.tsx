import qrcode from 'qrcode-generator';
import * as code128Module from 'jsbarcode/bin/barcodes/CODE128/CODE128_AUTO.js';
import { useMemo } from 'preact/hooks';

// A CommonJS module compiled by Babel: depending on the bundler's interop the class is `default` or `default.default`.
type Code128Ctor = typeof code128Module.default;
const CODE128: Code128Ctor =
  typeof code128Module.default === 'function'
    ? code128Module.default
    : (code128Module.default as unknown as { default: Code128Ctor }).default;

/**
 * QR code as one SVG path (crisp at any size, no canvas), for the member code and coupon codes. Quiet zone of 4
 * modules as the standard asks, so phone cameras and store scanners read it.
 */
export function QrCode({ value, size = 180, label }: { value: string; size?: number; label: string }) {
  const { d, n } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(value);
    qr.make();
    const count = qr.getModuleCount();
    let path = '';
    for (let r = 0; r < count; r++)
      for (let c = 0; c < count; c++) if (qr.isDark(r, c)) path += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { d: path, n: count + 8 };
  }, [value]);
  return (
    <svg
      class="qr"
      data-testid="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      shape-rendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

/** CODE128 barcode (what most Taiwan POS scanners read by default) drawn as SVG bars. */
export function Barcode({ value, height = 56, label }: { value: string; height?: number; label: string }) {
  const bars = useMemo(() => {
    const enc = new CODE128(value, {});
    if (!enc.valid()) return null;
    const bits: string = enc.encode().data;
    const rects: Array<[number, number]> = [];
    for (let i = 0; i < bits.length;) {
      if (bits[i] !== '1') {
        i++;
        continue;
      }
      let j = i;
      while (bits[j] === '1') j++;
      rects.push([i, j - i]);
      i = j;
    }
    return { rects, width: bits.length + 20 };
  }, [value]);
  if (!bars) return null;
  return (
    <svg
      class="barcode"
      data-testid="barcode"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${bars.width} ${height}`}
      preserveAspectRatio="none"
      shape-rendering="crispEdges">
      <rect width={bars.width} height={height} fill="#fff" />
      {bars.rects.map(([x, w]) => (
        <rect key={x} x={x + 10} width={w} height={height} fill="#000" />
      ))}
    </svg>
  );
}
