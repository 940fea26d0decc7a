/**
 * Rich-menu layout templates: where each tile sits on LINE's canvas. Pure and browser-safe (the console preview
 * draws the same cells). LINE's full menu is 2500 × 1686, the compact one 2500 × 843.
 */
export const RICHMENU_LAYOUTS = ['2x3', '2x2', '1x3', 'tabs2', 'image'] as const;
export type RichMenuLayout = (typeof RICHMENU_LAYOUTS)[number];

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const FULL_SIZE = { width: 2500, height: 1686 } as const;
export const COMPACT_SIZE = { width: 2500, height: 843 } as const;
/** Height of the tab strip of a two-tab menu. */
export const TAB_BAR_HEIGHT = 260;

interface Grid {
  size: { width: number; height: number };
  rows: number;
  cols: number;
  /** Pixels at the top used by the tab strip. */
  top: number;
}

const GRIDS: Record<Exclude<RichMenuLayout, 'image'>, Grid> = {
  '2x3': { size: FULL_SIZE, rows: 2, cols: 3, top: 0 },
  '2x2': { size: FULL_SIZE, rows: 2, cols: 2, top: 0 },
  '1x3': { size: COMPACT_SIZE, rows: 1, cols: 3, top: 0 },
  tabs2: { size: FULL_SIZE, rows: 2, cols: 3, top: TAB_BAR_HEIGHT },
};

/** Tiles a template holds (a two-tab menu: its 6 tiles under the tab strip). */
export function tileCount(layout: RichMenuLayout): number {
  if (layout === 'image') return 0;
  const g = GRIDS[layout];
  return g.rows * g.cols;
}

export function layoutSize(layout: Exclude<RichMenuLayout, 'image'>): { width: number; height: number } {
  return { ...GRIDS[layout].size };
}

/** Cells of a template, row-major; the last column and row absorb the rounding remainder. */
export function tileCells(layout: Exclude<RichMenuLayout, 'image'>): Bounds[] {
  const g = GRIDS[layout];
  const w = Math.floor(g.size.width / g.cols);
  const h = Math.floor((g.size.height - g.top) / g.rows);
  const cells: Bounds[] = [];
  for (let r = 0; r < g.rows; r++)
    for (let c = 0; c < g.cols; c++)
      cells.push({
        x: c * w,
        y: g.top + r * h,
        width: c === g.cols - 1 ? g.size.width - c * w : w,
        height: r === g.rows - 1 ? g.size.height - g.top - r * h : h,
      });
  return cells;
}

/** The two tab headers of a two-tab menu (left, right). */
export function tabCells(): [Bounds, Bounds] {
  const half = Math.floor(FULL_SIZE.width / 2);
  return [
    { x: 0, y: 0, width: half, height: TAB_BAR_HEIGHT },
    { x: half, y: 0, width: FULL_SIZE.width - half, height: TAB_BAR_HEIGHT },
  ];
}
