// A TerminalIO that draws into @xterm/headless, so the real app and views can be tested
// in-process and their screens read as text.
import xterm from '@xterm/headless';
import type { FoundFile } from '../../../src/core/types.ts';
import type { KeyEvent, MouseEvent, TerminalIO } from '../../../src/tui/terminal/terminal.ts';

const { Terminal } = xterm;

export class HeadlessTerm implements TerminalIO {
  readonly term: InstanceType<typeof Terminal>;
  cols: number;
  rows: number;
  written = '';
  private keyCb: ((e: KeyEvent) => void) | null = null;
  private mouseCb: ((e: MouseEvent) => void) | null = null;
  private resizeCb: (() => void) | null = null;
  private pending = Promise.resolve();

  constructor(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
  }

  write(data: string): void {
    this.written += data;
    this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write(data, r)));
  }
  onKey(cb: (e: KeyEvent) => void): void {
    this.keyCb = cb;
  }
  onMouse(cb: (e: MouseEvent) => void): void {
    this.mouseCb = cb;
  }
  onResize(cb: () => void): void {
    this.resizeCb = cb;
  }
  close(): void {}

  key(key: string, ch?: string): void {
    this.keyCb?.({ key, ch: ch ?? (key.length === 1 ? key : undefined) });
  }
  async type(text: string): Promise<void> {
    for (const c of text) this.key(c === ' ' ? 'space' : c, c);
  }
  click(x: number, y: number): void {
    this.mouseCb?.({ x, y, action: 'down', button: 'left' });
  }
  wheel(x: number, y: number, down: boolean): void {
    this.mouseCb?.({ x, y, action: down ? 'wheeldown' : 'wheelup', button: 'none' });
  }
  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.term.resize(cols, rows);
    this.resizeCb?.();
  }

  async lines(): Promise<string[]> {
    await this.pending;
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true, 0, this.term.cols) ?? '');
    return out;
  }
  async text(): Promise<string> {
    return (await this.lines()).join('\n');
  }
  async waitFor(test: (t: string) => boolean, what: string, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    while (true) {
      const t = await this.text();
      if (test(t)) return t;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${t}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async find(s: string): Promise<{ x: number; y: number } | undefined> {
    const lines = await this.lines();
    for (let y = 0; y < lines.length; y++) {
      const x = lines[y].indexOf(s);
      if (x >= 0) return { x, y };
    }
    return undefined;
  }
}

/** n found files spread over folders, formats and dates, as a scan of a big card would give. */
export function manyFiles(n: number): FoundFile[] {
  const formats = ['jpeg', 'heic', 'mp4', 'mov'] as const;
  const ext = { jpeg: 'jpg', heic: 'heic', mp4: 'mp4', mov: 'mov' };
  const out: FoundFile[] = [];
  for (let i = 0; i < n; i++) {
    const format = formats[i % 4];
    const carved = i % 10 === 9;
    out.push({
      id: `f${i}`,
      format,
      ext: ext[format],
      size: 1000 + i,
      extents: [{ offset: i * 4096, length: 1000 + i }],
      foundBy: carved ? 'carving' : 'filesystem',
      verdict: i % 7 === 0 ? 'partial' : 'complete',
      original: carved
        ? undefined
        : {
            partition: 'EOS_DIGITAL',
            folder: `DCIM/${100 + (i % 50)}CANON`,
            name: `IMG_${String(i).padStart(6, '0')}.${ext[format].toUpperCase()}`,
            nameInferred: false,
            state: 'deleted',
            modified: `20${10 + (i % 12)}-0${1 + (i % 9)}-01T10:00:00`,
            size: 1000 + i,
          },
    });
  }
  return out;
}
