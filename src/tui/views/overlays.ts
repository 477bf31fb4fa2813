// What floats over the workbench: the command palette, prompts and the keymap help.
import { COMMANDS, keysFor, type Command } from '../commands.ts';
import { fuzzyFilter, type FuzzyMatch } from '../fuzzy.ts';
import { BOLD, fit } from '../render/grid.ts';
import type { Layout, Rect } from '../state/layout.ts';
import type { Overlay, State } from '../state/store.ts';
import { T, button, hit, type Ctx } from './theme.ts';

export const PALETTE_ROWS = 10;

/** Commands the palette offers for a query, best first. */
export function paletteItems(query: string): { item: Command; match: FuzzyMatch }[] {
  return fuzzyFilter(
    query,
    COMMANDS.filter((c) => !c.internal),
    (c) => c.title,
  );
}

function box(ctx: Ctx, r: Rect, title: string): void {
  const g = ctx.grid;
  g.fill(r.x, r.y, r.w, r.h, { fg: T.text, bg: T.overlayBg });
  g.text(r.x, r.y, '┌' + '─'.repeat(Math.max(0, r.w - 2)) + '┐', { fg: T.accent, bg: T.overlayBg });
  for (let y = r.y + 1; y < r.y + r.h - 1; y++) {
    g.text(r.x, y, '│', { fg: T.accent, bg: T.overlayBg });
    g.text(r.x + r.w - 1, y, '│', { fg: T.accent, bg: T.overlayBg });
  }
  g.text(r.x, r.y + r.h - 1, '└' + '─'.repeat(Math.max(0, r.w - 2)) + '┘', { fg: T.accent, bg: T.overlayBg });
  if (title) g.text(r.x + 2, r.y, ` ${title} `, { fg: T.bright, bg: T.overlayBg, attr: BOLD }, r.w - 4);
}

function input(ctx: Ctx, x: number, y: number, w: number, value: string): void {
  const g = ctx.grid;
  g.fill(x, y, w, 1, { bg: T.inputBg });
  // show the end of a long value, with a block cursor after it
  const shown = value.length > w - 2 ? '…' + value.slice(value.length - (w - 3)) : value;
  g.text(x, y, shown, { fg: T.bright, bg: T.inputBg }, w - 1);
  g.text(x + Math.min(shown.length, w - 1), y, ' ', { bg: T.text });
}

export function drawOverlay(ctx: Ctx, s: State, l: Layout): void {
  const o = s.overlay;
  if (!o) return;
  if (o.kind === 'palette') drawPalette(ctx, o, l);
  else if (o.kind === 'prompt') drawPrompt(ctx, o, l);
  else drawHelp(ctx, o, l);
}

function drawPalette(ctx: Ctx, o: Extract<Overlay, { kind: 'palette' }>, l: Layout): void {
  const w = Math.min(72, l.cols - 4);
  const items = paletteItems(o.query);
  const rows = Math.min(PALETTE_ROWS, Math.max(1, l.rows - 6));
  const h = Math.min(rows, Math.max(1, items.length)) + 3;
  const r = { x: Math.floor((l.cols - w) / 2), y: 1, w, h };
  box(ctx, r, 'Commands');
  input(ctx, r.x + 2, r.y + 1, w - 4, '> ' + o.query);
  const start = Math.max(0, o.cursor - rows + 1);
  const g = ctx.grid;
  if (!items.length) g.text(r.x + 2, r.y + 2, 'No matching commands', { fg: T.dim, bg: T.overlayBg }, w - 4);
  items.slice(start, start + rows).forEach(({ item, match }, i) => {
    const idx = start + i;
    const y = r.y + 2 + i;
    const active = idx === o.cursor;
    const bg = active ? T.cursorBg : T.overlayBg;
    g.fill(r.x + 1, y, w - 2, 1, { bg });
    const keys = keysFor(item.id).slice(0, 2).join(' ');
    const titleW = w - 4 - keys.length - 1;
    g.text(r.x + 2, y, fit(item.title, titleW), { fg: active ? T.bright : T.text, bg });
    for (const p of match.positions) if (p < titleW - 1) g.text(r.x + 2 + p, y, item.title[p], { fg: T.accent, bg, attr: BOLD });
    g.text(r.x + w - 2 - keys.length, y, keys, { fg: T.dim, bg });
    hit(ctx, r.x + 1, y, w - 2, 'palette.run', idx);
  });
}

function drawPrompt(ctx: Ctx, o: Extract<Overlay, { kind: 'prompt' }>, l: Layout): void {
  const w = Math.min(72, l.cols - 4);
  const comps = o.completions.slice(0, Math.max(0, Math.min(8, l.rows - 9)));
  const h = 5 + (comps.length ? comps.length + 1 : 0);
  const r = { x: Math.floor((l.cols - w) / 2), y: 1, w, h };
  box(ctx, r, o.title);
  input(ctx, r.x + 2, r.y + 1, w - 4, o.value);
  const g = ctx.grid;
  let y = r.y + 2;
  if (comps.length) {
    comps.forEach((c, i) => {
      g.text(r.x + 3, y + i, c, { fg: T.text, bg: T.overlayBg }, w - 6);
      hit(ctx, r.x + 1, y + i, w - 2, 'prompt.complete', c);
    });
    y += comps.length + 1;
  }
  const hint = o.paths ? 'Tab completes · Enter accepts · Esc cancels' : 'Enter accepts · Esc cancels';
  g.text(r.x + 2, y, hint, { fg: T.dim, bg: T.overlayBg }, w - 4);
  let bx = r.x + w - 2 - 16;
  bx += button(ctx, bx, y + 1, 'OK', 'prompt.accept', r.x + w - 1) + 2;
  button(ctx, bx, y + 1, 'Cancel', 'prompt.cancel', r.x + w - 1);
}

export function helpLines(): [string, string][] {
  return COMMANDS.map((c) => [keysFor(c.id).join(', '), c.title] as [string, string]).filter(([k]) => k);
}

function drawHelp(ctx: Ctx, o: Extract<Overlay, { kind: 'help' }>, l: Layout): void {
  const w = Math.min(76, l.cols - 2);
  const h = Math.max(6, l.rows - 3);
  const r = { x: Math.floor((l.cols - w) / 2), y: 1, w, h };
  box(ctx, r, 'Keyboard shortcuts (Esc closes)');
  const lines = helpLines();
  const rows = h - 2;
  const start = Math.max(0, Math.min(o.scroll, lines.length - rows));
  const g = ctx.grid;
  lines.slice(start, start + rows).forEach(([k, t], i) => {
    g.text(r.x + 2, r.y + 1 + i, fit(k, 22), { fg: T.accent, bg: T.overlayBg });
    g.text(r.x + 25, r.y + 1 + i, t, { fg: T.text, bg: T.overlayBg }, w - 27);
  });
  hit(ctx, r.x + w - 3, r.y, 3, 'overlay.close');
}
