// The cell renderer: what it writes, replayed by a real terminal emulator, is the frame.
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { detectCaps, rgbTo256, sgrColor } from '../../src/tui/render/color.ts';
import { Grid, diffGrids, fit, textWidth } from '../../src/tui/render/grid.ts';

const { Terminal } = xterm;

async function replay(cols: number, rows: number, ...chunks: string[]) {
  const t = new Terminal({ cols, rows, allowProposedApi: true });
  for (const c of chunks) await new Promise<void>((r) => t.write(c, r));
  const b = t.buffer.active;
  return { t, lines: Array.from({ length: rows }, (_, y) => b.getLine(y)!.translateToString(true).trimEnd()) };
}

describe('grid and diff', () => {
  it('draws a first frame and then only the changes', async () => {
    const a = new Grid(20, 3);
    a.text(0, 0, 'hello', { fg: 0xff0000 });
    a.text(0, 2, 'bottom line', {});
    const b = new Grid(20, 3);
    b.text(0, 0, 'hullo', { fg: 0xff0000 });
    b.text(0, 2, 'bottom line', {});
    const d = diffGrids(a, b, 'truecolor');
    expect(d).toMatch(/^\x1b\[1;2H/); // straight to the one changed cell
    expect(d).toContain('u');
    expect(d).not.toContain('bottom');
    const { lines } = await replay(20, 3, diffGrids(null, a, 'truecolor'), d);
    expect(lines).toEqual(['hullo', '', 'bottom line']);
  });

  it('writes nothing when nothing changed', () => {
    const a = new Grid(10, 2);
    a.text(1, 1, 'same', { bg: 0x123456 });
    const b = new Grid(10, 2);
    b.text(1, 1, 'same', { bg: 0x123456 });
    expect(diffGrids(a, b, '256')).toBe('');
  });

  it('keeps wide characters (CJK names) in their two columns', async () => {
    const g = new Grid(12, 1);
    g.text(0, 0, '写真a.jpg', {});
    expect(textWidth('写真a.jpg')).toBe(9);
    const { lines } = await replay(12, 1, diffGrids(null, g, '256'));
    expect(lines[0]).toBe('写真a.jpg');
  });

  it('never lets control characters from a card reach the terminal', async () => {
    const g = new Grid(30, 1);
    g.text(0, 0, 'evil\x1b[2J\x07name\r\n.jpg', {});
    const out = diffGrids(null, g, '256');
    // only our own sequences: one clear, and no bell, CR or LF from the name
    expect(out.split('\x1b[2J')).toHaveLength(2);
    expect(out).not.toMatch(/[\x07\r\n]/);
    const { lines } = await replay(30, 1, out);
    expect(lines[0]).toBe('evil[2Jname.jpg');
    const bidi = new Grid(30, 1);
    bidi.text(0, 0, 'photo\u202egpj.exe', {});
    expect(bidi.rowText(0).trimEnd()).toBe('photogpj.exe');
  });

  it('fits text with an ellipsis', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
  });

  it('draws colours in 24-bit or 256 colours', async () => {
    const g = new Grid(2, 1);
    g.cell(0, 0, '▀', 0xff8000, 0x0000ff);
    const tc = await replay(2, 1, diffGrids(null, g, 'truecolor'));
    const cell = tc.t.buffer.active.getLine(0)!.getCell(0)!;
    expect(cell.isFgRGB()).toBe(true);
    expect(cell.getFgColor()).toBe(0xff8000);
    expect(cell.getBgColor()).toBe(0x0000ff);
    const p = await replay(2, 1, diffGrids(null, g, '256'));
    const c2 = p.t.buffer.active.getLine(0)!.getCell(0)!;
    expect(c2.isFgPalette()).toBe(true);
    expect(c2.getFgColor()).toBe(rgbTo256(0xff8000));
  });
});

describe('colours and terminal capabilities', () => {
  it('maps RGB to the nearest xterm-256 colour', () => {
    expect(rgbTo256(0x000000)).toBe(16);
    expect(rgbTo256(0xffffff)).toBe(231);
    expect(rgbTo256(0xff0000)).toBe(196);
    expect(rgbTo256(0x808080)).toBe(244);
    expect(sgrColor(-1, true, '256')).toBe('39');
    expect(sgrColor(0xff0000, true, '16')).toBe('91');
    expect(sgrColor(0x1e1e1e, false, '16')).toBe('40');
    expect(detectCaps({ TERM: 'linux' }).color).toBe('16');
  });

  it('decides colour depth and picture protocol from the environment', () => {
    expect(detectCaps({ TERM: 'xterm-256color' })).toEqual({ color: '256', graphics: 'blocks' });
    expect(detectCaps({ TERM: 'xterm-256color', COLORTERM: 'truecolor' }).color).toBe('truecolor');
    expect(detectCaps({ TERM: 'xterm-kitty', KITTY_WINDOW_ID: '1' })).toEqual({ color: 'truecolor', graphics: 'kitty' });
    expect(detectCaps({ TERM: 'xterm-256color', TERM_PROGRAM: 'iTerm.app', COLORTERM: 'truecolor' }).graphics).toBe('iterm');
    // inside tmux the protocols do not pass: half blocks
    expect(detectCaps({ TERM: 'tmux-256color', TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/x' }).graphics).toBe('blocks');
  });
});
