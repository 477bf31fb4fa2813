// 100,000 found files: the tree draws only the rows in view, and one step down writes only
// the two rows whose highlight changed, not the screen.
import { describe, expect, it } from 'vitest';
import { diffGrids } from '../../src/tui/render/grid.ts';
import { initialState, reduce, rowsOf, type State } from '../../src/tui/state/store.ts';
import { renderWorkbench } from '../../src/tui/views/workbench.ts';
import { manyFiles } from './helpers/headless.ts';

/** The rows (1-based) a diff moves the cursor to: what it writes on. */
function rowsWritten(out: string): Set<number> {
  return new Set([...out.matchAll(/\x1b\[(\d+);(\d+)H/g)].map((m) => Number(m[1])));
}

describe('virtual list of 100,000 rows', () => {
  let s: State = initialState({ cols: 100, rows: 30 });
  s = reduce(s, { type: 'scan/begin', source: '/tmp/big.img', at: 0, size: 100_000 * 4096 });
  for (const f of manyFiles(100_000)) s = reduce(s, { type: 'file.found', file: f });
  s = reduce(s, { type: 'ui/activity', activity: 'recovered' });
  s = reduce(s, { type: 'list/move', delta: 3 });

  it('has all the files in the tree', () => {
    expect(rowsOf(s).filter((r) => r.kind === 'file')).toHaveLength(100_000);
  });

  it('writes two rows when the cursor moves down one inside the view', () => {
    const a = renderWorkbench(s);
    const s2 = reduce(s, { type: 'list/move', delta: 1 });
    expect(rowsOf(s2)).toBe(rowsOf(s)); // the rows are not rebuilt for a cursor move
    const b = renderWorkbench(s2);
    const out = diffGrids(a.grid, b.grid, 'truecolor');
    const body = 2; // sidebar body starts on screen row 2 (0-based)
    expect(rowsWritten(out)).toEqual(new Set([body + 3 + 1, body + 4 + 1]));
    // far less than a screen: a full frame of 100x30 writes thousands of bytes
    const full = diffGrids(null, b.grid, 'truecolor');
    expect(out.length).toBeLessThan(full.length / 10);
  });

  it('scrolls one row at the bottom edge and draws only the visible rows', () => {
    let t = s;
    const h = 30 - 1 - 2; // status bar, title, toolbar
    t = reduce(t, { type: 'list/to', index: h - 1 });
    expect(t.treeScroll).toBe(0);
    const a = renderWorkbench(t);
    t = reduce(t, { type: 'list/move', delta: 1 });
    expect(t.treeScroll).toBe(1);
    const b = renderWorkbench(t);
    const written = rowsWritten(diffGrids(a.grid, b.grid, '256'));
    // the list rows change (they all moved up), nothing outside the side bar's list does
    for (const r of written) expect(r).toBeGreaterThanOrEqual(3);
    for (const r of written) expect(r).toBeLessThanOrEqual(29);
  });

  it('jumps to the end and back in place', () => {
    const end = reduce(s, { type: 'list/to', index: -1 });
    const n = rowsOf(s).length;
    expect(end.treeCursor).toBe(n - 1);
    const text = renderWorkbench(end).grid.toText();
    expect(text).toContain('f49992.mov'.replace('49992', String(Math.floor((99_999 * 4096) / 512)))); // last carved file
  });
});
