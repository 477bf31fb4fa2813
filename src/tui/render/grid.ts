// A frame of terminal cells and the diff that turns one frame into the next.
// Views draw into a Grid; the terminal writes only the cells that changed since the last frame,
// so moving a cursor one row in a 100,000-row list writes two rows, not the screen.
import { sgrColor, type ColorMode } from './color.ts';

export const BOLD = 1;
export const UNDERLINE = 2;
export const DIM = 4;
export const INVERSE = 8;

export interface Style {
  fg?: number;
  bg?: number;
  attr?: number;
}

/** Characters that take two columns (CJK, fullwidth, emoji). Good enough for file names. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Zero-width or control characters never reach the screen (names on a card are untrusted). */
function isInvisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    // bidi embeddings, overrides and isolates: a name must not reorder the screen
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

/** Columns a string takes on screen. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isInvisible(cp)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Cut or pad a string to exactly `width` columns (with an ellipsis when cut). */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const w = textWidth(s);
  if (w <= width) return align === 'left' ? s + ' '.repeat(width - w) : ' '.repeat(width - w) + s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isInvisible(cp)) continue;
    const cw = isWide(cp) ? 2 : 1;
    if (used + cw > width - 1) break;
    out += ch;
    used += cw;
  }
  return out + '…' + ' '.repeat(Math.max(0, width - 1 - used));
}

export class Grid {
  readonly width: number;
  readonly height: number;
  readonly ch: string[];
  readonly fg: Int32Array;
  readonly bg: Int32Array;
  readonly attr: Uint8Array;

  constructor(width: number, height: number, bg = -1) {
    this.width = Math.max(0, width);
    this.height = Math.max(0, height);
    const n = this.width * this.height;
    this.ch = new Array<string>(n).fill(' ');
    this.fg = new Int32Array(n).fill(-1);
    this.bg = new Int32Array(n).fill(bg);
    this.attr = new Uint8Array(n);
  }

  fill(x: number, y: number, w: number, h: number, style: Style, ch = ' '): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const i = yy * this.width + xx;
        this.ch[i] = ch;
        this.fg[i] = style.fg ?? -1;
        this.bg[i] = style.bg ?? -1;
        this.attr[i] = style.attr ?? 0;
      }
    }
  }

  /** Write text at (x, y), clipped to `maxWidth` columns and the grid. Returns the columns used. */
  text(x: number, y: number, s: string, style: Style, maxWidth = Infinity): number {
    if (y < 0 || y >= this.height) return 0;
    const limit = Math.min(this.width, x + maxWidth);
    let cx = x;
    for (const c of s) {
      const cp = c.codePointAt(0)!;
      if (isInvisible(cp)) continue;
      const cw = isWide(cp) ? 2 : 1;
      if (cx + cw > limit) break;
      if (cx >= 0) {
        const i = y * this.width + cx;
        this.ch[i] = c;
        this.fg[i] = style.fg ?? this.fg[i];
        this.bg[i] = style.bg ?? this.bg[i];
        this.attr[i] = style.attr ?? 0;
        if (cw === 2) {
          this.ch[i + 1] = '';
          this.fg[i + 1] = this.fg[i];
          this.bg[i + 1] = this.bg[i];
          this.attr[i + 1] = this.attr[i];
        }
      }
      cx += cw;
    }
    return cx - x;
  }

  /** Set one cell (used by the image renderer: '▀' with two colours). */
  cell(x: number, y: number, c: string, fg: number, bg: number, attr = 0): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = y * this.width + x;
    this.ch[i] = c;
    this.fg[i] = fg;
    this.bg[i] = bg;
    this.attr[i] = attr;
  }

  /** The text of one row (tests and screenshots). */
  rowText(y: number): string {
    let s = '';
    for (let x = 0; x < this.width; x++) s += this.ch[y * this.width + x];
    return s;
  }

  toText(): string {
    const rows: string[] = [];
    for (let y = 0; y < this.height; y++) rows.push(this.rowText(y).replace(/\s+$/, ''));
    return rows.join('\n');
  }
}

function sgr(fg: number, bg: number, attr: number, mode: ColorMode): string {
  const p = ['0'];
  if (attr & BOLD) p.push('1');
  if (attr & DIM) p.push('2');
  if (attr & UNDERLINE) p.push('4');
  if (attr & INVERSE) p.push('7');
  if (fg >= 0) p.push(sgrColor(fg, true, mode));
  if (bg >= 0) p.push(sgrColor(bg, false, mode));
  return `\x1b[${p.join(';')}m`;
}

/**
 * The bytes that turn `prev` into `next` on a terminal. With no `prev` (first frame, resize)
 * the whole screen is cleared and drawn. Only changed cells are written otherwise.
 */
export function diffGrids(prev: Grid | null, next: Grid, mode: ColorMode): string {
  const full = !prev || prev.width !== next.width || prev.height !== next.height;
  const out: string[] = [];
  if (full) out.push('\x1b[0m\x1b[2J');
  let curX = -1;
  let curY = -1;
  let curFg = -2;
  let curBg = -2;
  let curAttr = -1;
  const w = next.width;
  for (let y = 0; y < next.height; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = next.ch[i];
      if (c === '') continue; // right half of a wide character
      if (
        !full &&
        prev!.ch[i] === c &&
        prev!.fg[i] === next.fg[i] &&
        prev!.bg[i] === next.bg[i] &&
        prev!.attr[i] === next.attr[i] &&
        // a wide char that became narrow (or the reverse) changes its neighbour too
        (x + 1 >= w || (prev!.ch[i + 1] === '') === (next.ch[i + 1] === ''))
      ) {
        continue;
      }
      if (curX !== x || curY !== y) {
        out.push(`\x1b[${y + 1};${x + 1}H`);
        curX = x;
        curY = y;
      }
      if (next.fg[i] !== curFg || next.bg[i] !== curBg || next.attr[i] !== curAttr) {
        curFg = next.fg[i];
        curBg = next.bg[i];
        curAttr = next.attr[i];
        out.push(sgr(curFg, curBg, curAttr, mode));
      }
      const wide = x + 1 < w && next.ch[i + 1] === '';
      // Never let the terminal wrap by writing the very last cell with a wide char.
      out.push(c);
      curX += wide ? 2 : 1;
      if (curX >= w) curX = -1;
    }
  }
  if (out.length) out.push('\x1b[0m');
  return out.join('');
}
