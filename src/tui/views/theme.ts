// Colours of the workbench (VS Code's Dark Modern, roughly) and the shared view helpers.
import type { Grid, Style } from '../render/grid.ts';
import type { Rect } from '../state/layout.ts';

export const T = {
  text: 0xcccccc,
  dim: 0x8a8a8a,
  bright: 0xffffff,
  editorBg: 0x1e1e1e,
  sidebarBg: 0x252526,
  activityBg: 0x333333,
  activityFg: 0x858585,
  tabBg: 0x2d2d2d,
  tabActiveBg: 0x1e1e1e,
  border: 0x444444,
  statusBg: 0x007acc,
  statusFg: 0xffffff,
  statusErrBg: 0xc72e0f,
  selBg: 0x04395e,
  cursorBg: 0x0b4f8a, // stays blue (not black) on 16-colour terminals
  inactiveCursorBg: 0x37373d,
  accent: 0x3794ff,
  ok: 0x89d185,
  warn: 0xcca700,
  err: 0xf14c4c,
  button: 0x0e639c,
  buttonFg: 0xffffff,
  overlayBg: 0x252526,
  inputBg: 0x3c3c3c,
  mapEmpty: 0x4a4a4a,
  mapUnscanned: 0x2a2a2a,
};

/** Something on screen that a mouse click runs: a command id and an optional argument. */
export interface Hit {
  rect: Rect;
  command: string;
  arg?: number | string;
  /** Wheel over this area scrolls this list. */
  wheel?: 'tree' | 'drives' | 'problems' | 'panel';
}

export interface Ctx {
  grid: Grid;
  hits: Hit[];
}

export function hit(ctx: Ctx, x: number, y: number, w: number, command: string, arg?: number | string): void {
  ctx.hits.push({ rect: { x, y, w, h: 1 }, command, arg });
}

/** A button: ` label ` on the button colour; registers a click target. Returns its width. */
export function button(ctx: Ctx, x: number, y: number, label: string, command: string, maxX: number, arg?: number | string): number {
  const text = ` ${label} `;
  if (x + text.length > maxX) return 0;
  ctx.grid.text(x, y, text, { fg: T.buttonFg, bg: T.button });
  hit(ctx, x, y, text.length, command, arg);
  return text.length;
}

export function fillRect(ctx: Ctx, r: Rect, style: Style): void {
  ctx.grid.fill(r.x, r.y, r.w, r.h, style);
}
