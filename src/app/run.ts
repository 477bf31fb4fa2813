// The run: find files (filesystem undelete + signature carving), write them, report.
import { ALL_FORMATS } from '../core/types.ts';
import type { Extent, FoundFile, Partition, Problem, RecoveredFile, UnreadableRange } from '../core/types.ts';
import { UserError } from '../core/errors.ts';
import { extentReader } from '../core/readers.ts';
import { openSource } from '../source/index.ts';
import type { Source } from '../source/types.ts';
import { openVolumes } from '../fs/index.ts';
import type { Volume } from '../fs/types.ts';
import type { EventSink, RecoverOptions, RunControl, RunSummary, ScanOptions, ScanResult } from './types.ts';
import { freeExtentsFrom, undeleteVolume } from './undelete.ts';
import { Claims, carveAt, remeasure, skipForeignBlocks } from './carve.ts';
import type { CarveContext } from './carve.ts';
import { startHeaderScan } from './header-scan.ts';
import { reassemble } from './reassemble.ts';
import type { Checkpoint } from './state.ts';
import { OutputSession } from './output.ts';

const PROGRESS_MS = 100;
const CHECKPOINT_MS = 2000;
// How far past its start a cut-short carved file is followed through free clusters.
const FREE_SPACE_LIMIT = 512 * 1024 * 1024;

/** How a search ended; `carvedToo`: files the filesystem found whose header carving met as well. */
interface FindResult {
  status: 'done' | 'cancelled';
  problems: Problem[];
  carvedToo: Set<string>;
}

interface FindHooks {
  /** Called for each found file, in the order they are settled. Awaited (writing happens here). */
  onFound(f: FoundFile): Promise<void>;
  checkpoint?: { load(): Checkpoint | null; save(c: Checkpoint): void };
}

function partitionName(p: Partition, all: readonly Partition[]): string {
  const label = (p.label ?? '').trim();
  if (label && all.filter((q) => (q.label ?? '').trim() === label).length === 1) return label;
  return label ? `${label}-p${p.index}` : `p${p.index}`;
}

/** Medium ranges to carve: everything, or only what no live file holds (the default). */
function carveRanges(size: number, volumes: readonly Volume[], includeLive: boolean, only?: Partition): Extent[] {
  const lo = only ? only.offset : 0;
  const hi = only ? Math.min(size, only.offset + only.size) : size;
  if (includeLive) return [{ offset: lo, length: hi - lo }];
  // Allocated clusters of live files are skipped: a deleted photo cannot be there any more.
  const skip: Extent[] = [];
  for (const v of volumes) {
    let runStart = -1;
    const last = v.clusterCount + 2;
    for (let c = 2; c <= last; c++) {
      const used = c < last && !v.isFree(c);
      if (used && runStart < 0) runStart = c;
      else if (!used && runStart >= 0) {
        skip.push({ offset: v.clusterOffset(runStart), length: (c - runStart) * v.clusterSize });
        runStart = -1;
      }
    }
  }
  skip.sort((a, b) => a.offset - b.offset);
  const out: Extent[] = [];
  let pos = lo;
  for (const s of skip) {
    const sEnd = Math.min(hi, s.offset + s.length);
    if (sEnd <= pos) continue;
    if (s.offset > pos) out.push({ offset: pos, length: Math.min(hi, s.offset) - pos });
    pos = Math.max(pos, sEnd);
    if (pos >= hi) break;
  }
  if (pos < hi) out.push({ offset: pos, length: hi - pos });
  return out.filter((r) => r.length > 0);
}

/** The volume whose data area holds a medium offset, if any. */
function volumeAt(volumes: readonly Volume[], offset: number): Volume | undefined {
  return volumes.find((v) => offset >= v.dataOffset && offset < v.dataOffset + v.clusterCount * v.clusterSize);
}

/** The shared core of scan and recover. */
async function find(src: Source, opts: ScanOptions, emit: EventSink, control: RunControl | undefined, hooks: FindHooks): Promise<FindResult> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    return await findInner(src, opts, emit, control, hooks, opened);
  } finally {
    for (const o of opened) await o.close();
  }
}

async function findInner(src: Source, opts: ScanOptions, emit: EventSink, control: RunControl | undefined, hooks: FindHooks, opened: { close(): Promise<void> }[]): Promise<FindResult> {
  const types = opts.types && opts.types.length ? opts.types : [...ALL_FORMATS];
  const includeLive = !!opts.includeLive;
  const problems: Problem[] = [];
  const carvedToo = new Set<string>();
  const problem = (p: Problem) => {
    problems.push(p);
    emit({ type: 'problem', problem: p });
  };
  const found: Partial<Record<string, number>> = {};
  const settle = async (f: FoundFile) => {
    found[f.format] = (found[f.format] ?? 0) + 1;
    emit({ type: 'file.found', file: f });
    await hooks.onFound(f);
  };

  // 1. Partitions and filesystems.
  emit({ type: 'stage.start', stage: 'partitions', at: Date.now() });
  const { partitions, volumes: allVolumes, problems: fsProblems } = openVolumes(src);
  for (const m of fsProblems) problem({ severity: 'warning', message: m });
  emit({ type: 'partitions', partitions });
  emit({ type: 'stage.end', stage: 'partitions', at: Date.now() });
  let only: Partition | undefined;
  if (opts.partition !== undefined) {
    only = partitions.find((p) => p.index === opts.partition);
    if (!only) throw new UserError('usage', `No partition ${opts.partition} on ${src.path} (it has: ${partitions.map((p) => p.index).join(', ') || 'none'}).`);
  }
  const volumes = only ? allVolumes.filter((v) => v.partition.index === only!.index) : allVolumes;

  // The header scan of the space no live file holds starts now: its workers read the medium
  // while this thread does the filesystem stage.
  const step = opts.deep ? 1 : 512;
  let ranges = carveRanges(src.size, volumes, includeLive, only);
  const key = JSON.stringify({ types, step, includeLive, partition: opts.partition ?? null });
  const ck = hooks.checkpoint?.load();
  let candidates: number[] = [];
  let scannedUpTo = 0;
  if (ck && ck.key === key && ck.source.size === src.size) {
    candidates = ck.candidates;
    scannedUpTo = ck.scannedUpTo;
    ranges = clipRanges(ranges, scannedUpTo);
  }
  const resumedFrom = scannedUpTo;
  const saveCheckpoint = (upTo: number) => hooks.checkpoint?.save({ version: 1, source: { path: src.path, size: src.size }, key, scannedUpTo: upTo, candidates });
  const t0 = Date.now();
  const headers = startHeaderScan({ path: src.path, ranges, step, types, workers: opts.workers, signal: control?.signal, waitIfPaused: control?.waitIfPaused });
  opened.push(headers);

  // 2. Filesystem undelete: names, folders, dates.
  const claims = new Claims();
  const rctx = { medium: src, types, volumes, claims };
  emit({ type: 'stage.start', stage: 'filesystem', at: Date.now() });
  const fsFound: FoundFile[] = [];
  for (const v of volumes) {
    const name = partitionName(v.partition, partitions);
    const r = undeleteVolume(src, v, types, includeLive, name);
    for (const [i, f] of r.found.entries()) {
      if (f.verdict !== 'partial') continue;
      const whole = reassemble(rctx, f, { size: f.original?.size });
      if (whole) r.found[i] = { ...whole, original: f.original, foundBy: 'filesystem' };
    }
    for (const f of r.found) {
      fsFound.push(f);
      for (const e of f.extents) claims.add(e, f.id);
    }
    for (const l of r.lost) {
      problem({ severity: 'warning', message: `${[l.entry.folder, l.entry.name].filter(Boolean).join('/')}: ${l.reason}`, offset: l.entry.entryOffset });
    }
  }
  for (const f of fsFound) {
    if (control?.signal.aborted) return { status: 'cancelled', problems, carvedToo };
    await settle(f);
  }
  emit({ type: 'stage.end', stage: 'filesystem', at: Date.now() });

  // 3. Carving over the rest.
  emit({ type: 'stage.start', stage: 'scan', at: Date.now() });
  const ctx = { medium: src, types, claims, carvedToo };
  const carved: FoundFile[] = [];
  const partials: FoundFile[] = [];
  const carveOne = async (off: number) => {
    const r = carveAt(ctx, off);
    if (!r) return;
    if (r.file.verdict === 'complete') {
      carved.push(r.file);
      await settle(r.file);
    } else partials.push(r.file); // settled after the repair pass below
  };
  // Candidates from a checkpoint are judged again (cheap); written files are skipped by the writer.
  for (const off of candidates) await carveOne(off);

  let lastProgress = 0;
  let lastCheckpoint = Date.now();
  const total = src.size;
  try {
    for await (const chunk of headers) {
      for (const u of chunk.unreadable) {
        emit({ type: 'unreadable', range: u });
      }
      for (const off of chunk.offsets) {
        candidates.push(off);
        await carveOne(off);
      }
      scannedUpTo = chunk.to;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now;
        const secs = Math.max(0.001, (now - t0) / 1000);
        emit({ type: 'scan.progress', done: scannedUpTo, total, rate: (scannedUpTo - resumedFrom) / secs, found: { ...found } });
      }
      if (hooks.checkpoint && now - lastCheckpoint >= CHECKPOINT_MS) {
        lastCheckpoint = now;
        saveCheckpoint(scannedUpTo);
      }
    }
  } catch (e) {
    // A cancelled scan ends with the pool's abort error: that is a stop, not a failure.
    if (!control?.signal.aborted) throw e;
  }
  if (control?.signal.aborted) {
    saveCheckpoint(scannedUpTo);
    return { status: 'cancelled', problems, carvedToo };
  }
  emit({ type: 'scan.progress', done: total, total, rate: (total - resumedFrom) / Math.max(0.001, (Date.now() - t0) / 1000), found: { ...found } });
  saveCheckpoint(total);

  // 4. Files cut short by another file's blocks: skip those blocks and try again.
  const complete = [...fsFound, ...carved].sort((a, b) => a.extents[0].offset - b.extents[0].offset);
  for (const p of partials) {
    const fixed =
      continueInFreeSpace(ctx, p, volumes) ??
      skipForeignBlocks(ctx, p, complete, volumeAt(volumes, p.extents[0].offset)?.clusterSize ?? 512) ??
      reassemble(rctx, p);
    await settle(fixed ?? p);
  }
  emit({ type: 'stage.end', stage: 'scan', at: Date.now() });
  return { status: 'done', problems, carvedToo };
}

/** A carved file cut short inside a volume: measure it again over the free clusters from its start. */
function continueInFreeSpace(ctx: CarveContext, p: FoundFile, volumes: readonly Volume[]): FoundFile | null {
  const start = p.extents[0].offset;
  const v = volumeAt(volumes, start);
  if (!v) return null;
  const extents = freeExtentsFrom(v, start, FREE_SPACE_LIMIT);
  if (!extents || extents.length < 2) return null;
  const r = remeasure(ctx, p, extents);
  return r && r.verdict === 'complete' ? { ...r, reason: 'assembled: free clusters' } : null;
}

function clipRanges(ranges: Extent[], from: number): Extent[] {
  const out: Extent[] = [];
  for (const r of ranges) {
    const end = r.offset + r.length;
    if (end <= from) continue;
    const start = Math.max(r.offset, from);
    out.push({ offset: start, length: end - start });
  }
  return out;
}

function openChecked(sourcePath: string, emit: EventSink): Source {
  return openSource(sourcePath, { onUnreadable: (range: UnreadableRange) => emit({ type: 'unreadable', range }) });
}

/** Collects the unreadable ranges reported by every reader (workers and this thread), merged. */
function unreadableCollector(emit: EventSink): { emit: EventSink; ranges(): UnreadableRange[]; damaged(extents: readonly Extent[]): Extent | null } {
  const all: UnreadableRange[] = [];
  return {
    emit: (e) => {
      if (e.type === 'unreadable') all.push(e.range);
      emit(e);
    },
    ranges: () => {
      const sorted = [...all].sort((a, b) => a.offset - b.offset);
      const out: UnreadableRange[] = [];
      for (const r of sorted) {
        const last = out[out.length - 1];
        if (last && r.offset <= last.offset + last.length) last.length = Math.max(last.length, r.offset + r.length - last.offset);
        else out.push({ ...r });
      }
      return out;
    },
    damaged: (extents) => {
      for (const e of extents) for (const r of all) if (r.offset < e.offset + e.length && e.offset < r.offset + r.length) return r;
      return null;
    },
  };
}

/** Find everything recoverable on a source; writes nothing. Emits file.found and scan.progress. */
export async function scan(opts: ScanOptions, sink: EventSink, control?: RunControl): Promise<ScanResult> {
  const bad = unreadableCollector(sink);
  const emit = bad.emit;
  const src = openChecked(opts.source, emit);
  const files: FoundFile[] = [];
  try {
    emit({ type: 'run.start', source: src.path, size: src.size, out: '', resumed: false, at: Date.now() });
    const r = await find(src, opts, emit, control, { onFound: async (f) => void files.push(f) });
    for (const f of files) if (r.carvedToo.has(f.id)) f.foundBy = 'both';
    emit({ type: 'run.end', at: Date.now(), status: r.status, recovered: files.filter((f) => f.verdict === 'complete').length, partial: files.filter((f) => f.verdict === 'partial').length, bytes: files.reduce((s, f) => s + f.size, 0) });
    return { files, unreadable: bad.ranges(), size: src.size, status: r.status };
  } finally {
    src.close();
  }
}

/** Find and write everything to opts.out (resumable: run it again on the same OUT). */
export async function recover(opts: RecoverOptions, sink: EventSink, control?: RunControl): Promise<RunSummary> {
  const started = Date.now();
  const bad = unreadableCollector(sink);
  const emit = bad.emit;
  const src = openChecked(opts.source, emit);
  let out: OutputSession | undefined;
  try {
    out = new OutputSession(opts.out, src, bad.damaged);
    const session = out;
    emit({ type: 'run.start', source: src.path, size: src.size, out: session.dir, resumed: session.resumed, at: started });
    const result = await find(src, opts, emit, control, {
      onFound: async (f) => {
        const r = await session.put(f);
        if (r) emit({ type: 'file.recovered', file: r });
      },
      checkpoint: session.checkpoint(),
    });
    session.foundBothWays(result.carvedToo);
    session.report(started, result.status, bad.ranges(), result.problems);
    const recovered = session.files;
    emit({ type: 'run.end', at: Date.now(), status: result.status, recovered: recovered.filter((r) => r.verdict === 'complete').length, partial: recovered.filter((r) => r.verdict === 'partial').length, bytes: recovered.reduce((s, r) => s + r.size, 0) });
    return { status: result.status, recovered, unreadable: bad.ranges(), resumed: session.resumed, ms: Date.now() - started };
  } finally {
    out?.close();
    src.close();
  }
}

/** Write chosen found files from a source into an output folder, as `recover` would. */
export async function writeFound(source: string, files: FoundFile[], outDir: string, sink: EventSink, control?: RunControl): Promise<RecoveredFile[]> {
  const started = Date.now();
  const bad = unreadableCollector(sink);
  const emit = bad.emit;
  const src = openChecked(source, emit);
  let out: OutputSession | undefined;
  try {
    out = new OutputSession(outDir, src, bad.damaged);
    const written: RecoveredFile[] = [];
    for (const f of files) {
      if (control?.signal.aborted) break;
      await control?.waitIfPaused();
      const r = await out.put(f);
      if (!r) continue;
      written.push(r);
      emit({ type: 'file.recovered', file: r });
    }
    out.report(started, control?.signal.aborted ? 'cancelled' : 'done', bad.ranges(), []);
    return written;
  } finally {
    out?.close();
    src.close();
  }
}

/** The bytes of a found file (for previews), at most `max` bytes. */
export function readFoundFile(source: string, file: FoundFile, max = 64 * 1024 * 1024): Buffer {
  const src = openSource(source);
  try {
    const r = extentReader(src, file.extents);
    return Buffer.from(r.read(0, Math.min(max, file.size)));
  } finally {
    src.close();
  }
}

export function listPartitions(source: string): Partition[] {
  const src = openSource(source);
  try {
    return openVolumes(src).partitions;
  } finally {
    src.close();
  }
}
