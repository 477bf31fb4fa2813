// One scan's entropy-coded data: decode it when we can, else walk it by its markers.
import type { ByteReader } from '../../../core/types.ts';
import { BitReader } from './bitreader.ts';
import type { Frame, Scan, Tables } from './headers.ts';
import type { ScanOutcome } from './geometry.ts';
import { decodeSequential, type SeqOptions } from './sequential.ts';
import { decodeProgressive, type ProgressiveState } from './progressive.ts';

const CHUNK = 256 * 1024;

/**
 * Walk entropy-coded data from `start` by its bytes alone: FF 00 is stuffing, RSTn must come
 * in order RST0…RST7 when a restart interval is set, any other marker ends the scan.
 * Used for frames the decoder does not handle (arithmetic, lossless, hierarchical, DNL).
 */
export function walkByMarkers(src: ByteReader, limit: number, start: number, restartInterval: number): ScanOutcome {
  const end = Math.min(src.size, limit);
  let rst = 0;
  let pos = start;
  while (pos < end) {
    const buf = src.read(pos, Math.min(CHUNK, end - pos));
    if (buf.length === 0) break;
    let i = buf.indexOf(0xff);
    while (i >= 0) {
      if (i + 1 >= buf.length) break; // the code byte is in the next chunk: re-read from the FF
      const code = buf[i + 1];
      if (code === 0x00) {
        i = buf.indexOf(0xff, i + 2);
        continue;
      }
      if (code >= 0xd0 && code <= 0xd7) {
        if (restartInterval > 0 && code !== 0xd0 + rst) {
          return { ok: false, reason: 'restart marker out of order', failAt: pos + i };
        }
        rst = (rst + 1) & 7;
        i = buf.indexOf(0xff, i + 2);
        continue;
      }
      return { ok: true, next: pos + i };
    }
    if (i >= 0) pos += i;
    else pos += buf.length;
    if (i >= 0 && pos + 1 >= end) break;
  }
  return { ok: false, reason: 'data ends inside the scan', failAt: end, endOfData: true };
}

export interface ScanContext {
  src: ByteReader;
  limit: number;
  frame: Frame;
  tables: Tables;
  /** Present for progressive frames small enough to keep per-block masks. */
  progressive: ProgressiveState | null;
  /** False: walk markers only (faster, weaker). */
  decode: boolean;
  reader: BitReader | null;
}

/** `seq` (resume / snapshot) applies to sequential scans only. */
export function walkScan(ctx: ScanContext, scan: Scan, start: number, seq: SeqOptions = {}): ScanOutcome {
  const { frame } = ctx;
  const decodable = ctx.decode && frame.huffmanDct && frame.height > 0 && (!frame.progressive || ctx.progressive !== null);
  if (!decodable) return walkByMarkers(ctx.src, ctx.limit, start, ctx.tables.restartInterval);
  ctx.reader ??= new BitReader(ctx.src, ctx.limit);
  if (frame.progressive) return decodeProgressive(ctx.reader, frame, scan, ctx.tables, ctx.progressive!, start);
  return decodeSequential(ctx.reader, frame, scan, ctx.tables, start, seq);
}
