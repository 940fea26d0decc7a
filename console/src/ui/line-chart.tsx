import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { legendValue } from './chart-legend';

export interface Series {
  label: string;
  values: number[];
  color: string;
}

/**
 * A small uPlot line chart over categorical x labels (months). uPlot is loaded on first use (its own chunk), draws
 * to canvas and resizes with its container.
 */
export function LineChart(props: {
  labels: string[];
  series: Series[];
  height?: number;
  ariaLabel: string;
  xLabel: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let disposed = false;
    void (async () => {
      const { default: UPlot } = await import('uplot');
      if (disposed || !box.current) return;
      const xs = props.labels.map((_, i) => i);
      const opts: uPlot.Options = {
        width: box.current.clientWidth || 600,
        height: props.height ?? 260,
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((v) => props.labels[Math.round(v)] ?? ''),
            space: 50,
            grid: { show: false },
          },
          { grid: { stroke: '#eef1f4' }, size: 50 },
        ],
        series: [
          {
            label: props.xLabel,
            value: (_u, v) => props.labels[v === null ? props.labels.length - 1 : Math.round(v)] ?? '—',
          },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { size: 5 },
            value: (_u: uPlot, v: number | null) => legendValue(s.values, v),
          })),
        ],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      };
      plot = new UPlot(opts, [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData, box.current);
      observer = new ResizeObserver(
        () => plot && box.current && plot.setSize({ width: box.current.clientWidth, height: props.height ?? 260 }),
      );
      observer.observe(box.current);
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      plot?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- redrawn when the data changes, compared by value
  }, [JSON.stringify(props.labels), JSON.stringify(props.series)]);
  return <div ref={box} class="chart" role="img" aria-label={props.ariaLabel} />;
}
