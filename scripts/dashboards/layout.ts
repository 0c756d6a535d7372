/**
 * Where panels sit on Grafana's 24-column grid, computed from their order and sizes alone:
 * panels fill a line left to right and wrap when the next one does not fit; a row header
 * starts below everything before it. No state survives a call, so the same list always lays
 * out the same way.
 */
import type { GridPos } from './model.js';

export const GRID_COLUMNS = 24;

export type Placeable =
  | { readonly kind: 'row'; readonly title: string }
  | { readonly kind: 'panel'; readonly title: string; readonly w: number; readonly h: number };

/** One grid position per item, in the same order. Throws on a size the grid cannot hold. */
export function layout(items: readonly Placeable[]): GridPos[] {
  const positions: GridPos[] = [];
  // The line being filled: its top, the next free column and its tallest panel so far.
  let y = 0;
  let x = 0;
  let lineHeight = 0;
  for (const item of items) {
    if (item.kind === 'row') {
      y += lineHeight;
      positions.push({ h: 1, w: GRID_COLUMNS, x: 0, y });
      y += 1;
      x = 0;
      lineHeight = 0;
      continue;
    }
    checkSize(item);
    if (x + item.w > GRID_COLUMNS) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    positions.push({ h: item.h, w: item.w, x, y });
    x += item.w;
    lineHeight = Math.max(lineHeight, item.h);
  }
  return positions;
}

function checkSize({ title, w, h }: { title: string; w: number; h: number }): void {
  if (!Number.isInteger(w) || w < 1 || w > GRID_COLUMNS) {
    throw new Error(`panel "${title}": width must be a whole number of columns from 1 to ${GRID_COLUMNS} (got ${w})`);
  }
  if (!Number.isInteger(h) || h < 1) throw new Error(`panel "${title}": height must be a whole number of at least 1 (got ${h})`);
}
