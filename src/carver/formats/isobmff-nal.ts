// A cheap look inside the media data: H.264/HEVC samples are NAL units behind length fields,
// and those lengths must add up to exactly the sample size the index gives. Bytes from another
// file (a card fragment boundary, an overwritten cluster) almost never do, so this finds where
// a carved video or HEIC stops being itself without decoding a single picture.
import type { ByteReader } from '../../core/types.ts';
import type { NalCodec, NalSamples, SampleFraming } from './isobmff-samples.ts';

/** Reads in small aligned blocks and keeps the last few: sample starts are close together. */
function blockReader(file: ByteReader): (pos: number, len: number) => Buffer {
  const BLOCK = 4096;
  const cache = new Map<number, Buffer>();
  const block = (n: number): Buffer => {
    let b = cache.get(n);
    if (!b) {
      b = file.read(n * BLOCK, BLOCK);
      if (cache.size >= 8) cache.delete(cache.keys().next().value as number);
      cache.set(n, b);
    }
    return b;
  };
  return (pos, len) => {
    const first = Math.floor(pos / BLOCK);
    const last = Math.floor((pos + len - 1) / BLOCK);
    if (first === last) return block(first).subarray(pos - first * BLOCK, pos - first * BLOCK + len);
    const parts: Buffer[] = [];
    for (let n = first; n <= last; n++) parts.push(block(n));
    const all = Buffer.concat(parts);
    return all.subarray(pos - first * BLOCK, pos - first * BLOCK + len);
  };
}

/** Most NAL units we follow inside one sample (slices, SEI, parameter sets). */
const MAX_NALS_PER_SAMPLE = 1024;

/** Do the NAL units of the sample at [offset, offset+size) tile it exactly? */
export function sampleIsNalFramed(read: (pos: number, len: number) => Buffer, offset: number, size: number, codec: NalCodec): boolean {
  const L = codec.lengthSize;
  const header = codec.hevc ? 2 : 1;
  let p = offset;
  const end = offset + size;
  for (let n = 0; p < end; n++) {
    if (n >= MAX_NALS_PER_SAMPLE) return false;
    const h = p + L + header <= end ? read(p, L + header) : Buffer.alloc(0);
    const len = h.length < L + header ? -1 : L === 4 ? h.readUInt32BE(0) : L === 2 ? h.readUInt16BE(0) : h[0];
    if (len < header || p + L + len > end) return n > 0 && zeroPadding(read, p, end);
    const b0 = h[L];
    if (b0 & 0x80) return false; // forbidden_zero_bit
    // NAL types are not judged beyond that: Dolby Vision carries its RPU in HEVC type 62, MVC
    // uses H.264 types 14, 15 and 20; the lengths tiling the sample is the strong check.
    if (codec.hevc && (h[L + 1] & 7) === 0) return false; // temporal_id_plus1 is never 0
    if (!codec.hevc && (b0 & 0x1f) === 0) return false; // type 0 is never written
    p += L + len;
  }
  return true;
}

/** Does the sample start as its framing says: NAL lengths, a JPEG SOI, a start code, an Exif TIFF header? */
export function sampleLooksRight(read: (pos: number, len: number) => Buffer, offset: number, size: number, framing: SampleFraming): boolean {
  if (framing === 'jpeg') {
    const h = read(offset, 3);
    return size >= 4 && h.length === 3 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff;
  }
  if (framing === 'mpeg4' || framing === 'h263') {
    const h = read(offset, 3);
    if (size < 4 || h.length < 3 || h[0] !== 0 || h[1] !== 0) return false;
    return framing === 'mpeg4' ? h[2] === 1 : (h[2] & 0xfc) === 0x80;
  }
  if (framing === 'exif') {
    // HEIF Exif item: a 32-bit offset to the TIFF header ('MM\0*' or 'II*\0'), usually 6.
    if (size < 12) return false;
    const h = read(offset, 4);
    const skip = h.length === 4 ? h.readUInt32BE(0) : -1;
    if (skip < 0 || skip > 64 || 4 + skip + 4 > size) return false;
    const t = read(offset + 4 + skip, 4).toString('latin1');
    return t === 'MM\0*' || t === 'II*\0';
  }
  return sampleIsNalFramed(read, offset, size, framing);
}

/** Some muxers pad a sample after its last NAL unit with a few zero bytes. */
function zeroPadding(read: (pos: number, len: number) => Buffer, from: number, end: number): boolean {
  if (end - from > 256) return false;
  const rest = read(from, end - from);
  return rest.length === end - from && rest.every((b) => b === 0);
}

export interface SampleCheck {
  /** File offset of the first sample (in file order) whose framing is wrong; -1 when all pass. */
  bad: number;
  /**
   * Where the last sample that passed before it starts (0 when none did). Bytes before this
   * are the file's own; the break lies between here and `bad` (a sample's inside is not checked).
   */
  lastGood: number;
  checked: number;
}

/** Check the NAL framing of every sample in file order. `maxSamples` bounds the work. */
export function checkSamples(file: ByteReader, tracks: readonly NalSamples[], maxSamples = 2_000_000): SampleCheck {
  const order: { offset: number; size: number; codec: SampleFraming }[] = [];
  const read = blockReader(file);
  for (const t of tracks) {
    // Some muxers store Annex B start codes instead of lengths; players cope, so do not judge.
    // (00 00 01 also begins a length of 256..511, so only when the lengths do not work out.)
    const i0 = t.sizes.findIndex((n) => n >= 4);
    if (typeof t.codec === 'object' && i0 >= 0 && t.offsets[i0] + t.sizes[i0] <= file.size && !sampleIsNalFramed(read, t.offsets[i0], t.sizes[i0], t.codec)) {
      const h = read(t.offsets[i0], 4);
      if (h[0] === 0 && h[1] === 0 && (h[2] === 1 || (h[2] === 0 && h[3] === 1))) continue;
    }
    for (let i = 0; i < t.offsets.length && order.length < maxSamples; i++) {
      if (t.sizes[i] > 0) order.push({ offset: t.offsets[i], size: t.sizes[i], codec: t.codec });
    }
  }
  order.sort((a, b) => a.offset - b.offset);
  let lastGood = 0;
  let checked = 0;
  for (const s of order) {
    if (s.offset + s.size > file.size) break; // past what the reader holds: no evidence either way
    if (!sampleLooksRight(read, s.offset, s.size, s.codec)) return { bad: s.offset, lastGood, checked };
    lastGood = s.offset;
    checked++;
  }
  return { bad: -1, lastGood, checked };
}
