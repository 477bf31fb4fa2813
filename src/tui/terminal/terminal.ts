// The only module that talks to blessed. Blessed's Program does the terminal work: raw
// mode, the alternate screen, decoding keys and (SGR) mouse reports, and resize. Drawing
// goes through our own cell diff (render/grid.ts), because blessed's screen keeps colours in
// 256-colour attributes and the preview needs 24-bit colour.
import blessed from 'blessed';
import { PassThrough } from 'node:stream';
import { splitInput } from './input.ts';

export interface KeyEvent {
  /** Normalised key: 'a', 'R', '?', 'space', 'enter', 'C-p', 'M-b', 'S-tab', 'f9', 'up'… */
  key: string;
  /** The printable character, for text inputs. */
  ch?: string;
}

export interface MouseEvent {
  x: number;
  y: number;
  action: 'down' | 'up' | 'wheelup' | 'wheeldown' | 'move';
  button: 'left' | 'middle' | 'right' | 'none';
}

export interface TerminalIO {
  readonly cols: number;
  readonly rows: number;
  write(data: string): void;
  onKey(cb: (e: KeyEvent) => void): void;
  onMouse(cb: (e: MouseEvent) => void): void;
  onResize(cb: () => void): void;
  /** Leave the alternate screen, restore the cursor and the terminal's modes. */
  close(): void;
}

interface BlessedKey {
  name?: string;
  full?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

interface BlessedMouse {
  x: number;
  y: number;
  action: string;
  button?: string;
}

// blessed reports '\r' twice: as 'return' and again as 'enter'; keep only the 'enter'.
const NAMES: Record<string, string> = { linefeed: 'enter' };

/** blessed's (ch, key) -> one key string the keymap understands. */
export function normaliseKey(ch: string | undefined, key: BlessedKey): KeyEvent | null {
  if (key.name === 'return') return null;
  const name = key.name ? (NAMES[key.name] ?? key.name) : undefined;
  if (!key.ctrl && !key.meta && ch && ch.length === 1 && ch >= ' ' && ch !== '\x7f') {
    return { key: ch === ' ' ? 'space' : ch, ch };
  }
  if (ch && !key.ctrl && !key.meta && [...ch].length === 1 && ch.codePointAt(0)! > 0x7f) return { key: ch, ch };
  if (!name) return null;
  const prefix = (key.ctrl ? 'C-' : '') + (key.meta ? 'M-' : '') + (key.shift && name.length > 1 ? 'S-' : '');
  return { key: prefix + name };
}

export function openTerminal(opts: { input?: NodeJS.ReadStream; output?: NodeJS.WriteStream } = {}): TerminalIO {
  const tty = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  // blessed reads from a stream where each mouse report arrives on its own (see input.ts).
  const input = new PassThrough() as unknown as NodeJS.ReadStream;
  const wasRaw = tty.isRaw;
  tty.setRawMode?.(true);
  tty.setEncoding('utf8');
  const onData = (d: string) => {
    for (const part of splitInput(d)) input.write(part);
  };
  tty.on('data', onData);
  tty.resume();
  const program = blessed.program({ input, output, tput: false, zero: true, resizeTimeout: 30 } as never) as unknown as BlessedProgram;
  // ?1049 alone: save the cursor, switch to the alternate screen (blessed without terminfo
  // also sends ?47, which on the way back leaves the cursor where our last frame ended).
  output.write('\x1b[?1049h');
  program.hideCursor();
  // SGR reports (1006) carry any column; button events and drag (1002) are what we use.
  program.setMouse({ vt200Mouse: true, sgrMouse: true, cellMotion: true }, true);
  let closed = false;
  const io: TerminalIO = {
    get cols() {
      return program.cols || output.columns || 80;
    },
    get rows() {
      return program.rows || output.rows || 24;
    },
    write(data: string) {
      if (!closed && data) output.write(data);
    },
    onKey(cb) {
      program.on('keypress', (ch: string | undefined, key: BlessedKey) => {
        if (key && (key.name === 'mouse' || key.sequence?.startsWith('\x1b[<') || key.sequence?.startsWith('\x1b[M'))) return;
        const e = normaliseKey(ch, key ?? {});
        if (e) cb(e);
      });
    },
    onMouse(cb) {
      program.on('mouse', (m: BlessedMouse) => {
        const action =
          m.action === 'mousedown' ? 'down' : m.action === 'mouseup' ? 'up' : m.action === 'wheelup' ? 'wheelup' : m.action === 'wheeldown' ? 'wheeldown' : 'move';
        const button = m.button === 'left' || m.button === 'middle' || m.button === 'right' ? m.button : 'none';
        cb({ x: m.x, y: m.y, action, button });
      });
    },
    onResize(cb) {
      program.on('resize', cb);
    },
    close() {
      if (closed) return;
      closed = true;
      program.disableMouse();
      program.showCursor();
      output.write('\x1b[0m\x1b[?1049l');
      program.destroy();
      tty.off('data', onData);
      tty.setRawMode?.(wasRaw);
      tty.pause();
    },
  };
  return io;
}

interface BlessedProgram {
  cols: number;
  rows: number;
  hideCursor(): void;
  showCursor(): void;
  setMouse(opts: Record<string, boolean>, enable: boolean): void;
  disableMouse(): void;
  destroy(): void;
  on(event: string, cb: (...args: never[]) => void): void;
}
