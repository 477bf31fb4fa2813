// The whole screen for a state: a Grid to diff, the click targets, and where pictures go.
import { Grid } from '../render/grid.ts';
import { layoutOf, type State } from '../state/store.ts';
import { drawActivityBar, drawPanel, drawStatusBar, drawTabs } from './chrome.ts';
import { drawEditor, type ImagePlacement } from './editor.ts';
import { drawOverlay } from './overlays.ts';
import { drawSidebar } from './sidebar.ts';
import { T, type Hit } from './theme.ts';

export interface Frame {
  grid: Grid;
  hits: Hit[];
  images: ImagePlacement[];
}

/** Below this the workbench cannot be laid out; a message asks for a bigger window. */
export const MIN_COLS = 40;
export const MIN_ROWS = 12;

export function renderWorkbench(s: State): Frame {
  const l = layoutOf(s);
  const grid = new Grid(s.cols, s.rows, T.editorBg);
  const ctx = { grid, hits: [] as Hit[], images: [] as ImagePlacement[] };
  if (s.cols < MIN_COLS || s.rows < MIN_ROWS) {
    const msg = [`photorescue needs ${MIN_COLS}x${MIN_ROWS}`, `this window is ${s.cols}x${s.rows}`, 'q quits'];
    msg.forEach((m, i) => grid.text(Math.max(0, Math.floor((s.cols - m.length) / 2)), Math.floor(s.rows / 2) - 1 + i, m, { fg: T.text, bg: T.editorBg }));
    return ctx;
  }
  drawActivityBar(ctx, s, l);
  drawSidebar(ctx, s, l);
  drawTabs(ctx, s, l);
  drawEditor(ctx, s, l);
  drawPanel(ctx, s, l);
  drawStatusBar(ctx, s, l);
  if (s.overlay) {
    // Clicks go to the overlay only, and an image must not sit on top of it.
    ctx.hits = [];
    ctx.images = [];
    drawOverlay(ctx, s, l);
  }
  return ctx;
}

/** The click target at (x, y): the last drawn wins (overlays are drawn last). */
export function hitAt(hits: readonly Hit[], x: number, y: number): Hit | undefined {
  for (let i = hits.length - 1; i >= 0; i--) {
    const h = hits[i];
    if (!h.command) continue;
    if (x >= h.rect.x && y >= h.rect.y && x < h.rect.x + h.rect.w && y < h.rect.y + h.rect.h) return h;
  }
  return undefined;
}

export function wheelAt(hits: readonly Hit[], x: number, y: number): Hit['wheel'] {
  for (let i = hits.length - 1; i >= 0; i--) {
    const h = hits[i];
    if (h.wheel && x >= h.rect.x && y >= h.rect.y && x < h.rect.x + h.rect.w && y < h.rect.y + h.rect.h) return h.wheel;
  }
  return undefined;
}
