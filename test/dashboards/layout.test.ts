import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRID_COLUMNS, layout, type Placeable } from '../../scripts/dashboards/layout.js';
import type { GridPos } from '../../scripts/dashboards/model.js';

const row = (title = 'row'): Placeable => ({ kind: 'row', title });
const panel = (w: number, h: number, title = `${w}x${h}`): Placeable => ({ kind: 'panel', title, w, h });

const items = fc.array(
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(row()) },
    { weight: 5, arbitrary: fc.record({ w: fc.integer({ min: 1, max: GRID_COLUMNS }), h: fc.integer({ min: 1, max: 30 }) }).map(({ w, h }) => panel(w, h)) },
  ),
  { maxLength: 60 },
);

const bottom = (g: GridPos): number => g.y + g.h;

describe('layout', () => {
  it('places nothing for no items', () => {
    expect(layout([])).toEqual([]);
  });

  it('fills a line left to right and wraps the panel that does not fit', () => {
    expect(layout([row(), panel(8, 4), panel(8, 6), panel(8, 4), panel(6, 3), panel(20, 2)])).toEqual([
      { h: 1, w: 24, x: 0, y: 0 },
      { h: 4, w: 8, x: 0, y: 1 },
      { h: 6, w: 8, x: 8, y: 1 },
      { h: 4, w: 8, x: 16, y: 1 },
      // below the tallest panel of the line before
      { h: 3, w: 6, x: 0, y: 7 },
      { h: 2, w: 20, x: 0, y: 10 },
    ]);
  });

  it('starts a row below everything before it, whether the line was full or not', () => {
    expect(layout([panel(4, 5), row(), row(), panel(24, 2), row()])).toEqual([
      { h: 5, w: 4, x: 0, y: 0 },
      { h: 1, w: 24, x: 0, y: 5 },
      { h: 1, w: 24, x: 0, y: 6 },
      { h: 2, w: 24, x: 0, y: 7 },
      { h: 1, w: 24, x: 0, y: 9 },
    ]);
  });

  it('gives every item a place inside the grid, none overlapping, in reading order', () => {
    fc.assert(
      fc.property(items, (list) => {
        const positions = layout(list);
        expect(positions).toHaveLength(list.length);
        for (const [i, g] of positions.entries()) {
          const item = list[i];
          expect(g.x).toBeGreaterThanOrEqual(0);
          expect(g.x + g.w).toBeLessThanOrEqual(GRID_COLUMNS);
          if (item?.kind === 'panel') expect([g.w, g.h]).toEqual([item.w, item.h]);
          else expect(g).toMatchObject({ x: 0, w: GRID_COLUMNS, h: 1 });
          for (const other of positions.slice(0, i)) {
            const apart = g.x >= other.x + other.w || other.x >= g.x + g.w || g.y >= bottom(other) || other.y >= bottom(g);
            expect(apart, `${JSON.stringify(g)} overlaps ${JSON.stringify(other)}`).toBe(true);
            // Reading order: never above an earlier item, never left of one on the same line.
            expect(g.y).toBeGreaterThanOrEqual(other.y);
            if (g.y === other.y) expect(g.x).toBeGreaterThan(other.x);
          }
          if (item?.kind === 'row') {
            const lowest = Math.max(0, ...positions.slice(0, i).map(bottom));
            expect(g.y).toBe(lowest);
          }
        }
      }),
    );
  });

  it('leaves no gap: a panel sits right after the one before, or at the start of the next line', () => {
    fc.assert(
      fc.property(items, (list) => {
        const positions = layout(list);
        for (let i = 1; i < list.length; i++) {
          const [prev, g] = [positions[i - 1], positions[i]];
          if (list[i]?.kind !== 'panel' || list[i - 1]?.kind !== 'panel' || !prev || !g) continue;
          if (g.x === 0) expect(prev.x + prev.w + g.w).toBeGreaterThan(GRID_COLUMNS);
          else expect(g).toMatchObject({ x: prev.x + prev.w, y: prev.y });
        }
      }),
    );
  });

  it('lays the same items out the same way whatever was laid out before', () => {
    fc.assert(
      fc.property(items, items, (list, other) => {
        const first = layout(list);
        layout(other);
        expect(layout(list)).toEqual(first);
      }),
    );
  });

  it.each([
    [0, 4, /width must be a whole number of columns from 1 to 24 \(got 0\)/],
    [25, 4, /width .* \(got 25\)/],
    [2.5, 4, /width .* \(got 2\.5\)/],
    [Number.NaN, 4, /width .* \(got NaN\)/],
    [4, 0, /height must be a whole number of at least 1 \(got 0\)/],
    [4, -3, /height .* \(got -3\)/],
    [4, Number.POSITIVE_INFINITY, /height .* \(got Infinity\)/],
  ])('refuses a panel %s wide and %s high, naming it', (w, h, message) => {
    expect(() => layout([row(), panel(w, h, 'Broken panel')])).toThrow(message);
    expect(() => layout([panel(w, h, 'Broken panel')])).toThrow(/^panel "Broken panel": /);
  });
});
