// Where media data with no index to check it against stops being this file: the first sector
// that starts another photo or video, or a 4 KiB block of zeros (space never written). Coded
// video and audio almost never begin a 512-byte sector with a JPEG start-of-image marker or a
// valid 'ftyp' box, while on a card the next file always starts on a sector. Used only when the
// index (moov/meta) is lost: the file is partial either way, this only bounds what is kept.
import type { ByteReader } from '../../core/types.ts';
import { parseFtyp } from './isobmff-brands.ts';

const SECTOR = 512;
const CHUNK = 1 << 20;
/** Most bytes read looking for another file's start; past this, the bytes are left as they are. */
export const FOREIGN_SCAN_BUDGET = 256 * 1024 * 1024;

const ZERO_RUN = 4096;

function isZero(b: Buffer, at: number, len: number): boolean {
  for (let i = at; i < at + len; i++) if (b[i] !== 0) return false;
  return true;
}

/** The zeros may begin before the block that showed them: back up to the run's first byte. */
function zeroRunStart(file: ByteReader, at: number, floor: number): number {
  const lo = Math.max(floor, at - ZERO_RUN);
  const before = file.read(lo, at - lo);
  let p = before.length;
  while (p > 0 && before[p - 1] === 0) p--;
  return lo + p;
}

function jpegStart(b: Buffer, at: number): boolean {
  if (b[at] !== 0xff || b[at + 1] !== 0xd8 || b[at + 2] !== 0xff) return false;
  const m = b[at + 3];
  return (m >= 0xe0 && m <= 0xef) || m === 0xdb || m === 0xc0 || m === 0xc2 || m === 0xc4 || m === 0xfe;
}

/**
 * The first sector boundary (file-relative) in [from, to) where another file begins, or -1.
 * Reads at most `budget` bytes.
 */
export function foreignStart(file: ByteReader, from: number, to: number, budget = FOREIGN_SCAN_BUDGET): number {
  const start = Math.ceil(from / SECTOR) * SECTOR;
  const end = Math.min(to, file.size, start + budget);
  for (let base = start; base < end; base += CHUNK) {
    const buf = file.read(base, Math.min(CHUNK, end - base) + 16);
    const last = Math.min(CHUNK, end - base);
    for (let at = 0; at < last; at += SECTOR) {
      if (jpegStart(buf, at)) return base + at;
      // Never-written space: coded video cannot hold 4 KiB of zeros (no NAL ends in 0x00).
      if ((base + at) % ZERO_RUN === 0 && at + ZERO_RUN <= buf.length && isZero(buf, at, ZERO_RUN)) return zeroRunStart(file, base + at, from);
      if (buf[at + 4] === 0x66 && buf[at + 5] === 0x74 && buf[at + 6] === 0x79 && buf[at + 7] === 0x70) {
        if (parseFtyp(file.read(base + at, 256))) return base + at;
      }
    }
  }
  return -1;
}
