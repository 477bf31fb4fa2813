// Run the real program in a pseudo-terminal and keep a headless xterm of what it drew, so a
// test can read the screen as a person would and type or click on it.
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

export interface ScreenOptions {
  args: string[];
  cols: number;
  rows: number;
  cwd: string;
  env: Record<string, string>;
}

export class PtyScreen {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  private pending = Promise.resolve();

  constructor(o: ScreenOptions) {
    this.term = new Terminal({ cols: o.cols, rows: o.rows, allowProposedApi: true });
    this.proc = pty.spawn(process.execPath, o.args, {
      name: 'xterm-256color',
      cols: o.cols,
      rows: o.rows,
      cwd: o.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...o.env },
    });
    this.proc.onData((d) => {
      // xterm parses asynchronously; chain the writes so text() can wait for all of them
      this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write(d, r)));
    });
    this.exited = new Promise((r) =>
      this.proc.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        r(exitCode);
      }),
    );
  }

  /** The screen as text, one string per row. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true, 0, this.term.cols) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  async settle(): Promise<void> {
    await this.pending;
  }

  /** Wait until the screen shows `what` (a string or a test of the text). */
  async waitFor(what: string | RegExp | ((text: string) => boolean), timeoutMs = 30_000): Promise<string> {
    const test = typeof what === 'function' ? what : (t: string) => (typeof what === 'string' ? t.includes(what) : what.test(t));
    const end = Date.now() + timeoutMs;
    const t0 = Date.now();
    while (true) {
      await this.settle();
      const t = this.text();
      if (test(t)) {
        if (process.env.PR_DEBUG && Date.now() - t0 > 1000) console.log(`slow wait ${Date.now() - t0} ms for ${String(what)}`);
        return t;
      }
      if (this.exitCode !== null) throw new Error(`program exited (${this.exitCode}) while waiting for ${String(what)}; screen:\n${t}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}; screen:\n${t}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Where `s` is on screen (0-based column and row), or undefined. */
  find(s: string, fromRow = 0): { x: number; y: number } | undefined {
    const lines = this.lines();
    for (let y = fromRow; y < lines.length; y++) {
      const x = lines[y].indexOf(s);
      if (x >= 0) return { x, y };
    }
    return undefined;
  }

  send(data: string): void {
    this.proc.write(data);
  }

  /** Type text one key at a time (each key is one read for the program). */
  async type(text: string): Promise<void> {
    for (const ch of text) {
      this.send(ch);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** A left click at a 0-based cell, as an SGR mouse report (press, then release). */
  async click(x: number, y: number): Promise<void> {
    this.send(`\x1b[<0;${x + 1};${y + 1}M`);
    await new Promise((r) => setTimeout(r, 30));
    this.send(`\x1b[<0;${x + 1};${y + 1}m`);
    await new Promise((r) => setTimeout(r, 60));
  }

  async clickText(s: string, fromRow = 0): Promise<void> {
    await this.settle();
    const at = this.find(s, fromRow);
    if (!at) throw new Error(`"${s}" is not on screen:\n${this.text()}`);
    await this.click(at.x + Math.floor(s.length / 2), at.y);
  }

  /** The 24-bit or palette colour of a cell's foreground, for checking pictures are drawn in colour. */
  cellColors(x: number, y: number): { fg: number; bg: number; ch: string } {
    const b = this.term.buffer.active;
    const cell = b.getLine(b.viewportY + y)?.getCell(x);
    return { fg: cell?.getFgColor() ?? -1, bg: cell?.getBgColor() ?? -1, ch: cell?.getChars() ?? '' };
  }

  /** The window changes size: the program gets SIGWINCH. */
  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  kill(): void {
    if (this.exitCode === null) this.proc.kill();
    this.term.dispose();
  }
}
