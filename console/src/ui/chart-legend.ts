/**
 * What the legend shows for a series: the value under the cursor, and with the cursor off the chart the latest
 * value (uPlot passes null then; the legend used to read "—" for every series).
 */
export function legendValue(values: number[], v: number | null): string {
  const shown = v ?? values[values.length - 1];
  return shown === undefined || shown === null ? '—' : shown.toLocaleString('zh-TW');
}
