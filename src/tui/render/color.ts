// Colour depth and image protocol of the terminal, decided from the environment.
// Colours inside the renderer are always 0xRRGGBB (or -1 for the terminal's default);
// this module turns them into SGR parameters for the depth the terminal has.

export type ColorMode = 'truecolor' | '256' | '16';
export type GraphicsMode = 'blocks' | 'kitty' | 'iterm';

export interface TermCaps {
  color: ColorMode;
  graphics: GraphicsMode;
}

/** What the terminal says it can do. tmux hides graphics protocols, so inside tmux we use half-blocks. */
export function detectCaps(env: NodeJS.ProcessEnv = process.env): TermCaps {
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  const term = (env.TERM ?? '').toLowerCase();
  const prog = env.TERM_PROGRAM ?? '';
  const color: ColorMode =
    colorterm === 'truecolor' || colorterm === '24bit' || term.includes('direct') || term === 'xterm-kitty'
      ? 'truecolor'
      : term === 'linux' || term === 'vt100' || term === 'vt220' || term === 'ansi'
        ? '16'
        : '256';
  let graphics: GraphicsMode = 'blocks';
  if (!env.TMUX && !term.startsWith('screen') && !term.startsWith('tmux')) {
    if (env.KITTY_WINDOW_ID || term === 'xterm-kitty' || prog === 'ghostty') graphics = 'kitty';
    else if (prog === 'iTerm.app' || prog === 'WezTerm') graphics = 'iterm';
  }
  return { color, graphics };
}

const CUBE = [0, 95, 135, 175, 215, 255];

function nearestCube(v: number): number {
  let best = 0;
  for (let i = 1; i < 6; i++) if (Math.abs(CUBE[i] - v) < Math.abs(CUBE[best] - v)) best = i;
  return best;
}

/** Nearest xterm-256 colour (6x6x6 cube or the grey ramp, whichever is closer). */
export function rgbTo256(rgb: number): number {
  const r = (rgb >> 16) & 255;
  const g = (rgb >> 8) & 255;
  const b = rgb & 255;
  const ri = nearestCube(r);
  const gi = nearestCube(g);
  const bi = nearestCube(b);
  const cube = 16 + 36 * ri + 6 * gi + bi;
  const cd = (CUBE[ri] - r) ** 2 + (CUBE[gi] - g) ** 2 + (CUBE[bi] - b) ** 2;
  const avg = Math.round((r + g + b) / 3);
  const gi2 = Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  const gv = 8 + gi2 * 10;
  const gd = (gv - r) ** 2 + (gv - g) ** 2 + (gv - b) ** 2;
  return gd < cd ? 232 + gi2 : cube;
}

// The 16 ANSI colours as xterm draws them.
const ANSI16 = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

/** Nearest of the 16 ANSI colours (the Linux console and other basic terminals). */
export function rgbTo16(rgb: number): number {
  let best = 0;
  let bestD = Infinity;
  ANSI16.forEach((c, i) => {
    const d = (((c >> 16) & 255) - ((rgb >> 16) & 255)) ** 2 + (((c >> 8) & 255) - ((rgb >> 8) & 255)) ** 2 + ((c & 255) - (rgb & 255)) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** SGR parameters for a foreground (fg=true) or background colour. */
export function sgrColor(rgb: number, fg: boolean, mode: ColorMode): string {
  if (rgb < 0) return fg ? '39' : '49';
  if (mode === 'truecolor') return `${fg ? 38 : 48};2;${(rgb >> 16) & 255};${(rgb >> 8) & 255};${rgb & 255}`;
  if (mode === '16') {
    const c = rgbTo16(rgb);
    return String((fg ? 30 : 40) + (c & 7) + (c >= 8 ? 60 : 0));
  }
  return `${fg ? 38 : 48};5;${rgbTo256(rgb)}`;
}
