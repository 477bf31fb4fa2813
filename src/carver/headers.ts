// Finding where files may start: a cheap signature test at sector starts (or every byte with --deep).
import type { FormatId } from '../core/types.ts';
import { FORMATS } from './registry.ts';

export interface HeaderPattern {
  format: FormatId;
  /** Where the bytes sit relative to the file start. */
  offset: number;
  bytes: Buffer;
}

/** The distinct signatures of the enabled formats (ISO-BMFF formats share 'ftyp'). */
export function headerPatterns(enabled: readonly FormatId[]): HeaderPattern[] {
  const seen = new Set<string>();
  const out: HeaderPattern[] = [];
  for (const m of FORMATS) {
    if (!enabled.includes(m.id)) continue;
    for (const s of m.signatures) {
      const key = `${s.offset}:${Buffer.from(s.bytes).toString('hex')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ format: m.id, offset: s.offset, bytes: Buffer.from(s.bytes) });
    }
  }
  return out;
}

/**
 * Offsets (absolute on the medium) in `buf` where a pattern matches. `base` is the medium offset of
 * buf[0]. Starts are tested only at multiples of `step` (512 for sector-aligned; 1 for deep).
 * Only starts in [from, to) are reported; the caller passes a buffer that extends past `to` by the
 * longest pattern so starts near the chunk edge are still matched (the overlap).
 */
export function findHeaders(buf: Buffer, base: number, from: number, to: number, step: number, patterns: readonly HeaderPattern[], out: number[]): void {
  if (step === 1) {
    findDeep(buf, base, from, to, patterns, out);
    return;
  }
  const first = Math.ceil(from / step) * step;
  for (let pos = first; pos < to; pos += step) {
    const i = pos - base;
    for (const p of patterns) {
      const at = i + p.offset;
      if (at + p.bytes.length > buf.length) continue;
      const b = p.bytes;
      // Unrolled for the 3- and 4-byte signatures we have; general fallback below.
      if (buf[at] !== b[0] || buf[at + 1] !== b[1] || buf[at + 2] !== b[2]) continue;
      let ok = true;
      for (let k = 3; k < b.length; k++) {
        if (buf[at + k] !== b[k]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.push(pos);
        break;
      }
    }
  }
}

function findDeep(buf: Buffer, base: number, from: number, to: number, patterns: readonly HeaderPattern[], out: number[]): void {
  const set = new Set<number>();
  for (const p of patterns) {
    let i = buf.indexOf(p.bytes, Math.max(0, from - base + p.offset));
    while (i !== -1) {
      const start = base + i - p.offset;
      if (start >= to) break;
      if (start >= from) set.add(start);
      i = buf.indexOf(p.bytes, i + 1);
    }
  }
  const sorted = [...set].sort((a, b) => a - b);
  for (const s of sorted) out.push(s);
}
