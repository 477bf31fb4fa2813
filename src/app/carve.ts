// Carving: judge each header candidate with its format module, front to back, skipping headers
// that fall inside files already found (EXIF thumbnails, MPF previews, fs-found files).
import type { ByteReader, Extent, FormatId, FoundFile } from '../core/types.ts';
import { extentReader, sliceReader, truncateExtents } from '../core/readers.ts';
import { probeAny } from '../carver/registry.ts';
import type { Measurement } from '../carver/format.ts';

/** Sorted, non-overlapping claimed byte ranges with O(log n) lookup. */
export class Claims {
  private starts: number[] = [];
  private ends: number[] = [];
  private owners: (string | undefined)[] = [];

  /** Claim a range, for the found file `owner` when given. */
  add(e: Extent, owner?: string): void {
    if (e.length <= 0) return;
    // Insert keeping order; ranges here come mostly in increasing order, so this is cheap.
    let i = this.starts.length;
    while (i > 0 && this.starts[i - 1] > e.offset) i--;
    this.starts.splice(i, 0, e.offset);
    this.ends.splice(i, 0, e.offset + e.length);
    this.owners.splice(i, 0, owner);
  }

  /** The claimed range containing `pos`, if any. */
  find(pos: number): (Extent & { owner?: string }) | null {
    let lo = 0;
    let hi = this.starts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= pos) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Ranges may nest (a carved file inside a fs-known one); check a few back.
    for (let i = best; i >= 0 && i > best - 8; i--) {
      if (this.starts[i] <= pos && pos < this.ends[i]) return { offset: this.starts[i], length: this.ends[i] - this.starts[i], owner: this.owners[i] };
    }
    return null;
  }
}

export interface CarveContext {
  medium: ByteReader;
  types: readonly FormatId[];
  claims: Claims;
  /** Files the filesystem found whose header the carver met too (reported as found 'both' ways). */
  carvedToo?: Set<string>;
}

/** Judge one candidate start. Returns null for false hits and starts inside claimed ranges. */
export function carveAt(ctx: CarveContext, offset: number): { file: FoundFile; m: Measurement } | null {
  const claim = ctx.claims.find(offset);
  if (claim) {
    if (claim.offset === offset && claim.owner) ctx.carvedToo?.add(claim.owner);
    return null;
  }
  const head = ctx.medium.read(offset, 4096);
  const hit = probeAny(head, ctx.types);
  if (!hit) return null;
  const view = sliceReader(ctx.medium, offset, hit.module.maxSize);
  const m = hit.module.measure(view, hit.probe);
  if (m.status === 'invalid' || m.length <= 0) return null;
  const file: FoundFile = {
    id: `${hit.module.id}@${offset}`,
    format: hit.module.id,
    ext: hit.probe.ext,
    size: m.length,
    extents: [{ offset, length: m.length }],
    foundBy: 'carving',
    verdict: m.status === 'complete' ? 'complete' : 'partial',
    reason: m.status === 'complete' ? undefined : m.reason,
  };
  ctx.claims.add({ offset, length: m.length });
  return { file, m };
}

/**
 * A file cut short where another file's blocks sit (a clip written into a hole in the middle of a
 * photo): skip the other file's blocks and measure again from behind them, as PhotoRec does.
 * `others` are the complete files found, sorted by offset. Returns the repaired file or null.
 */
export function skipForeignBlocks(ctx: CarveContext, partial: FoundFile, others: readonly FoundFile[], block: number): FoundFile | null {
  let cur = partial;
  for (let round = 0; round < 4; round++) {
    const extents = cur.extents;
    const good = cur.size;
    const fileStart = extents[0].offset;
    // Medium offset where the good bytes stop.
    const stop = mediumOffsetAt(extents, good);
    if (stop < 0) return null;
    const blockStart = Math.floor(stop / block) * block;
    const other = others.find((o) => o.verdict === 'complete' && o.id !== partial.id && o.extents[0].offset >= blockStart - block && o.extents[0].offset <= stop + block && o.extents[0].offset > fileStart);
    if (!other) return null;
    const oStart = other.extents[0].offset;
    const oEnd = other.extents[other.extents.length - 1].offset + other.extents[other.extents.length - 1].length;
    const resume = Math.ceil(oEnd / block) * block;
    // Keep what precedes the other file, then continue after it.
    const kept = truncateAtMedium(extents, oStart);
    const next = remeasure(ctx, cur, [...kept, { offset: resume, length: Math.max(0, ctx.medium.size - resume) }]);
    if (!next) return null;
    if (next.verdict === 'complete') return { ...next, reason: `assembled around ${other.id}` };
    cur = next;
  }
  return null;
}

/** Measure a found file again laid over other extents; null when it is not that format there. */
export function remeasure(ctx: CarveContext, f: FoundFile, extents: Extent[]): FoundFile | null {
  const reader = extentReader(ctx.medium, extents);
  const hit = probeAny(reader.read(0, 4096), ctx.types);
  if (!hit || hit.module.id !== f.format) return null;
  const m = hit.module.measure(reader, hit.probe);
  if (m.status === 'invalid' || m.length <= f.size) return null;
  return { ...f, size: m.length, extents: truncateExtents(extents, m.length), verdict: m.status === 'complete' ? 'complete' : 'partial', reason: m.reason };
}

function mediumOffsetAt(extents: readonly Extent[], filePos: number): number {
  let pos = 0;
  for (const e of extents) {
    if (filePos < pos + e.length) return e.offset + (filePos - pos);
    pos += e.length;
  }
  const last = extents[extents.length - 1];
  return last ? last.offset + last.length : -1;
}

function truncateAtMedium(extents: readonly Extent[], mediumOffset: number): Extent[] {
  const out: Extent[] = [];
  for (const e of extents) {
    if (e.offset >= mediumOffset) break;
    out.push({ offset: e.offset, length: Math.min(e.length, mediumOffset - e.offset) });
  }
  return out;
}
