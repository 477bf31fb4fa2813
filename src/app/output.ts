// One output folder for one run: checks it, knows what earlier runs wrote there (journal),
// writes new files through the Writer, and writes report.json at the end.
import fs from 'node:fs';
import path from 'node:path';
import type { Extent, FoundFile, Problem, RecoveredFile, UnreadableRange } from '../core/types.ts';
import { UserError } from '../core/errors.ts';
import { assertOutputNotOnSource } from '../source/index.ts';
import type { Source } from '../source/types.ts';
import { RunState, writeReport } from './state.ts';
import type { Checkpoint } from './state.ts';
import { Writer } from './writer.ts';

const ALLOWED = ['recovered', 'partial', 'report.json', '.photorescue'];

export class OutputSession {
  readonly dir: string;
  private src: Source;
  private state: RunState;
  private writer: Writer;
  /** Every file in the folder, by id: earlier runs' and this one's. */
  private done: Map<string, RecoveredFile>;
  readonly resumed: boolean;

  constructor(out: string, src: Source, damaged: (extents: readonly Extent[]) => Extent | null) {
    this.dir = path.resolve(out);
    this.src = src;
    assertOutputNotOnSource(src, this.dir);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new UserError('output', `Cannot create the output folder ${this.dir}: ${(e as Error).message}`, { cause: e });
    }
    const stray = fs.readdirSync(this.dir).filter((n) => !ALLOWED.includes(n));
    if (stray.length > 0) throw new UserError('output', `The output folder ${this.dir} already holds other files (${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''}); choose an empty folder or one photorescue made.`);
    this.state = new RunState(this.dir);
    this.state.open();
    this.done = this.state.written(this.dir);
    this.resumed = this.done.size > 0 || this.state.loadCheckpoint() !== null;
    this.writer = new Writer(this.dir, src);
    this.writer.damaged = damaged;
    for (const r of this.done.values()) this.writer.paths.reserve(r.path);
  }

  get files(): RecoveredFile[] {
    return [...this.done.values()];
  }

  /** Write a found file unless an earlier run did; returns the new record, or null if skipped. */
  async put(f: FoundFile): Promise<RecoveredFile | null> {
    if (this.done.has(f.id)) return null;
    const r = await this.writer.write(f);
    this.state.record(r);
    this.done.set(r.id, r);
    return r;
  }

  /** Files the filesystem found and carving met too: the report says 'both'. */
  foundBothWays(ids: ReadonlySet<string>): void {
    for (const [id, r] of this.done) if (ids.has(id) && r.foundBy === 'filesystem') this.done.set(id, { ...r, foundBy: 'both' });
  }

  checkpoint(): { load(): Checkpoint | null; save(c: Checkpoint): void } {
    return { load: () => this.state.loadCheckpoint(), save: (c) => this.state.saveCheckpoint(c) };
  }

  report(startedAt: number, status: 'done' | 'cancelled', unreadable: UnreadableRange[], problems: Problem[]): void {
    writeReport(this.dir, {
      version: 1,
      tool: 'photorescue',
      source: { path: this.src.path, size: this.src.size },
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date().toISOString(),
      status,
      unreadable,
      problems,
      files: this.files,
    });
  }

  close(): void {
    this.state.close();
  }
}
