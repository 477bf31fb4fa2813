// Putting fragmented files back together from their own structure, where neither the filesystem
// (a formatted card, a lost FAT chain) nor the free-cluster map says where the pieces are.
// MP4/MOV: by their sample tables (reassemble-movie.ts). JPEG: by decoding, bifragment gap
// carving (reassemble-jpeg.ts). A result is only returned when the format module judges the
// assembled bytes complete, at the length the structure (and the directory entry) gives.
import type { ByteReader, Extent, FormatId, FoundFile } from '../core/types.ts';
import { ALL_FORMATS } from '../core/types.ts';
import { extentReader } from '../core/readers.ts';
import { probeAny } from '../carver/registry.ts';
import type { Volume } from '../fs/types.ts';
import type { Claims } from './carve.ts';
import { BudgetExceeded, CachedMedium, type Run, geometryAt, runsToExtents } from './reassemble-medium.ts';
import { placeMovie } from './reassemble-movie.ts';
import { placeJpeg } from './reassemble-jpeg.ts';

export interface ReassembleContext {
  medium: ByteReader;
  types: readonly FormatId[];
  /** Volumes on the medium (cluster size and geometry; free-cluster maps). */
  volumes: readonly Volume[];
  /** Byte ranges already owned by files found whole: never part of another file. */
  claims: Claims;
}

export interface ReassembleHint {
  /** The file's size when a directory entry still says it. */
  size?: number;
}

/** The format module has the last word: the assembled bytes are whole, at exactly `length`. */
function judge(ctx: ReassembleContext, format: FormatId, extents: Extent[], length: number): boolean {
  const file = extentReader(ctx.medium, extents);
  const hit = probeAny(file.read(0, 4096), ctx.types);
  if (!hit || hit.module.id !== format) return false;
  const v = hit.module.measure(file, hit.probe);
  return v.status === 'complete' && v.length === length;
}

/** Most bytes of the medium one reassembly may read (bounds the work on a large card). */
const READ_BUDGET = 512 * 1024 * 1024;
/** Most bytes all reassemblies of one run may read together (a run shares one Claims). */
const RUN_BUDGET = 4 * 1024 * 1024 * 1024;
const runBudgets = new WeakMap<Claims, { left: number }>();

/**
 * Given a file whose structure breaks at `partial.size` bytes (a partial carve or a deleted
 * entry none of whose simple layouts validates), find where the rest lies and return the whole
 * file (verdict 'complete'), or null when it cannot be placed. A movie placed with a few
 * clusters taken on trust (see reassemble-movie.ts) comes back whole but with verdict
 * 'partial' and a reason that says so.
 */
export function reassemble(ctx: ReassembleContext, partial: FoundFile, hint: ReassembleHint = {}): FoundFile | null {
  const start = partial.extents[0]?.offset;
  if (start === undefined) return null;
  let run = runBudgets.get(ctx.claims);
  if (!run) runBudgets.set(ctx.claims, (run = { left: RUN_BUDGET }));
  if (run.left <= 0) return null;
  const m = new CachedMedium(ctx.medium, Math.min(READ_BUDGET, run.left));
  try {
    return reassembleWith(ctx, partial, hint, m, start);
  } finally {
    run.left -= m.spent;
  }
}

function reassembleWith(ctx: ReassembleContext, partial: FoundFile, hint: ReassembleHint, m: CachedMedium, start: number): FoundFile | null {
  const g = geometryAt(ctx.medium, ctx.volumes, ctx.claims, start);
  if ((start - g.base) % g.unit !== 0) return null;
  try {
    let runs;
    let how;
    let sure = true;
    let note = '';
    if (partial.format === 'mp4' || partial.format === 'mov' || partial.format === 'heic') {
      const verify = (runs: Run[], n: number): boolean => judge(ctx, partial.format, runsToExtents(runs), n);
      const plan = placeMovie(m, g, start, hint.size, verify);
      if (!plan) return null;
      runs = plan.runs;
      how = partial.format === 'heic' ? 'item locations' : 'sample tables';
      sure = plan.sure;
      if (!sure) note = `; ${Math.ceil(plan.trusted / g.unit)} clusters in a row could not be proved`;
    } else if (partial.format === 'jpeg') {
      const plan = placeJpeg(m, g, start, partial.size, hint.size);
      if (!plan) return null;
      runs = plan.runs;
      how = 'JPEG decoding';
    } else {
      return null;
    }
    // No cluster of the layout but the first may begin another photo or video: that would be
    // the layout going wrong (and would hide that file from carving behind our claim).
    for (const r of runs) {
      const first = g.base + Math.ceil((r.medium - g.base) / g.unit) * g.unit;
      for (let at = first; at < r.medium + r.length; at += g.unit) {
        if (at === start) continue;
        if (probeAny(m.read(at, 4096), ALL_FORMATS)) return null;
      }
    }
    const extents = runsToExtents(runs);
    const length = extents.reduce((s, e) => s + e.length, 0);
    if (hint.size !== undefined && length !== hint.size) return null;
    if (!judge(ctx, partial.format, extents, length)) return null;
    // A layout some of whose clusters were taken on trust is most likely right, but not sure:
    // it is written whole, marked partial.
    return {
      ...partial,
      size: length,
      extents,
      verdict: sure ? 'complete' : 'partial',
      reason: `reassembled: ${extents.length} fragments by ${how}${note}`,
    };
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      if (process.env.PHOTORESCUE_TRACE_REASSEMBLE) console.error('[reassemble] read budget spent');
      return null;
    }
    throw e;
  }
}
