// The sample tables of a movie ('moov'), read for placing its fragments: for every sample of
// every track, where it lies in the file and how long it is, and how its first bytes can be
// checked (NAL length framing for H.264/HEVC video, the first syntax element of a raw AAC frame).
// Offsets are file-relative. Every count is bounded by the bytes that hold it.
import { type Box, child, children, fourcc } from '../carver/formats/isobmff-boxes.ts';
import { nalCodecOfEntry } from '../carver/formats/isobmff-samples.ts';
import { parseMeta } from '../carver/formats/isobmff-iloc.ts';
import { readU64BE } from '../core/bounds.ts';

/** How a sample's bytes can be checked where it is believed to lie. */
export type SampleKind =
  | { kind: 'nal'; lengthSize: number; hevc: boolean }
  | { kind: 'aac'; channels: number }
  | { kind: 'none' };

/** One sample with a check (video or AAC audio), in file order after sorting. */
export interface Checkpoint {
  offset: number;
  size: number;
  /** Index into MovieTables.kinds. */
  kind: number;
}

export interface MovieTables {
  kinds: SampleKind[];
  /** Every checkable sample, sorted by offset. */
  checkpoints: Checkpoint[];
  /** Where all chunks (checkable or not) lie: sorted, merged. */
  chunks: { offset: number; length: number }[];
  /** Largest chunk end: the media data reaches at least this far. */
  dataEnd: number;
  /** Smallest chunk offset. */
  dataStart: number;
}

/** Most samples we take from one movie (a 4 GB clip at 60 fps has well under a million). */
const MAX_SAMPLES = 4_000_000;

/** Channels from an 'mp4a' entry's esds AudioSpecificConfig (0 when unknown). */
function aacChannels(buf: Buffer, entry: Box): number | null {
  // AudioSampleEntry: 8 (reserved + dref index) + 20 bytes; QuickTime v1/v2 add 16/36.
  if (entry.payload + 28 > entry.end) return null;
  const version = buf.readUInt16BE(entry.payload + 8);
  const skip = version === 1 ? 44 : version === 2 ? 64 : 28;
  const channels = buf.readUInt16BE(entry.payload + 16);
  let esds = children(buf, entry.payload + skip, entry.end).find((b) => b.type === 'esds');
  if (!esds) {
    // QuickTime puts it in a 'wave' box.
    const wave = children(buf, entry.payload + skip, entry.end).find((b) => b.type === 'wave');
    esds = wave && children(buf, wave.payload, wave.end).find((b) => b.type === 'esds');
  }
  if (!esds) return null;
  // Find the DecoderConfigDescriptor (tag 4): objectTypeIndication 0x40 (MPEG-4 audio) or 0x66-0x68 (MPEG-2 AAC).
  const d = buf.subarray(esds.payload + 4, esds.end);
  const at = d.indexOf(4);
  if (at < 0) return null;
  let p = at + 1;
  while (p < d.length && d[p] & 0x80) p++;
  p++;
  const oti = d[p];
  if (oti !== 0x40 && oti !== 0x66 && oti !== 0x67 && oti !== 0x68) return null;
  // AudioSpecificConfig (tag 5): object type (5 bits) must be AAC LC/Main/LTP (raw data blocks).
  const dsi = d.indexOf(5, p + 13);
  if (dsi < 0) return null;
  p = dsi + 1;
  while (p < d.length && d[p] & 0x80) p++;
  p++;
  if (p + 2 > d.length) return null;
  const aot = d[p] >> 3;
  if (aot < 1 || aot > 4) return null;
  const cfg = (d[p + 1] >> 3) & 15;
  if (cfg !== 1 && cfg !== 2) return null;
  return cfg === channels || channels === 0 ? cfg : null;
}

function sampleKind(buf: Buffer, stbl: Box): SampleKind {
  const stsd = child(buf, stbl, 'stsd');
  if (!stsd || stsd.payload + 8 > stsd.end) return { kind: 'none' };
  const entries = children(buf, stsd.payload + 8, stsd.end);
  if (entries.length !== 1) return { kind: 'none' };
  const e = entries[0];
  const nal = nalCodecOfEntry(buf, e);
  if (nal) return { kind: 'nal', lengthSize: nal.lengthSize, hevc: nal.hevc };
  if (e.type === 'mp4a') {
    const ch = aacChannels(buf, e);
    if (ch) return { kind: 'aac', channels: ch };
  }
  return { kind: 'none' };
}

/** Read a whole 'moov' box held in `buf` (header included). Null when its tables do not add up. */
export function readMovieTables(buf: Buffer): MovieTables | null {
  const top = children(buf, 0, buf.length)[0];
  if (!top || top.type !== 'moov') return null;
  const kinds: SampleKind[] = [];
  const checkpoints: Checkpoint[] = [];
  const chunks: { offset: number; length: number }[] = [];
  let total = 0;
  for (const trak of children(buf, top.payload, top.end)) {
    if (trak.type === 'mvex') return null; // fragmented movie: samples live in moof runs
    if (trak.type !== 'trak') continue;
    const mdia = child(buf, trak, 'mdia');
    const minf = mdia && child(buf, mdia, 'minf');
    const stbl = minf && child(buf, minf, 'stbl');
    if (!stbl) continue;
    const kids = children(buf, stbl.payload, stbl.end);
    const find = (t: string): Box | undefined => kids.find((k) => k.type === t);
    const co = find('stco') ?? find('co64');
    const stsc = find('stsc');
    const stsz = find('stsz');
    if (!co) continue;
    if (!stsc || !stsz || co.payload + 8 > co.end || stsc.payload + 8 > stsc.end || stsz.payload + 12 > stsz.end) return null;
    const width = co.type === 'stco' ? 4 : 8;
    const nChunks = buf.readUInt32BE(co.payload + 4);
    if (nChunks > (co.end - co.payload - 8) / width) return null;
    const nRuns = buf.readUInt32BE(stsc.payload + 4);
    if (nRuns === 0 || nRuns > (stsc.end - stsc.payload - 8) / 12) return null;
    const constSize = buf.readUInt32BE(stsz.payload + 4);
    const nSamples = buf.readUInt32BE(stsz.payload + 8);
    if (nSamples > MAX_SAMPLES || (constSize === 0 && nSamples > (stsz.end - stsz.payload - 12) / 4)) return null;
    total += nSamples;
    if (total > MAX_SAMPLES) return null;
    const k = sampleKind(buf, stbl);
    // Samples of 1 byte (QuickTime sound) or a constant size give chunk lengths we cannot trust.
    const checkable = k.kind !== 'none' && constSize === 0;
    const kindIx = kinds.length;
    kinds.push(k);
    let sample = 0;
    let run = 0;
    for (let c = 0; c < nChunks; c++) {
      const off = width === 4 ? buf.readUInt32BE(co.payload + 8 + c * 4) : readU64BE(buf, co.payload + 8 + c * 8);
      if (off < 0) return null;
      while (run + 1 < nRuns && buf.readUInt32BE(stsc.payload + 8 + (run + 1) * 12) <= c + 1) run++;
      const per = buf.readUInt32BE(stsc.payload + 8 + run * 12 + 4);
      if (per > nSamples) return null;
      let bytes = 0;
      for (let s = sample; s < Math.min(nSamples, sample + per); s++) {
        const size = constSize !== 0 ? constSize : buf.readUInt32BE(stsz.payload + 12 + s * 4);
        if (checkable && size > 0) checkpoints.push({ offset: off + bytes, size, kind: kindIx });
        bytes += size;
      }
      sample += per;
      if (constSize === 1 && k.kind === 'none') bytes = 1; // sound packing unknown: only the start is sure
      chunks.push({ offset: off, length: bytes });
    }
  }
  if (chunks.length === 0) return null;
  checkpoints.sort((a, b) => a.offset - b.offset);
  chunks.sort((a, b) => a.offset - b.offset);
  const merged: { offset: number; length: number }[] = [];
  for (const c of chunks) {
    const last = merged[merged.length - 1];
    if (last && c.offset <= last.offset + last.length) last.length = Math.max(last.length, c.offset + c.length - last.offset);
    else merged.push({ ...c });
  }
  let dataEnd = 0;
  for (const c of merged) dataEnd = Math.max(dataEnd, c.offset + c.length);
  return { kinds, checkpoints, chunks: merged, dataEnd, dataStart: merged[0].offset };
}

/** The four-character type at `at` in `buf` (re-exported for the moov search). */
export { fourcc };

/**
 * The same for a HEIF image: its 'meta' box (whole, header included) says where each item's
 * bytes lie ('iloc'); coded tiles and pictures (hvc1/avc1 items) are NAL-framed like video.
 */
export function readItemTables(buf: Buffer): MovieTables | null {
  const m = parseMeta(buf);
  if (!m.hasIloc || m.broken.length > 0 || m.extents.length === 0) return null;
  const kinds: SampleKind[] = [];
  const checkpoints: Checkpoint[] = [];
  let total = 0;
  for (const t of m.nal) {
    if (typeof t.codec === 'string') continue; // Exif and JPEG items: no NAL framing to check
    const kindIx = kinds.length;
    kinds.push({ kind: 'nal', lengthSize: t.codec.lengthSize, hevc: t.codec.hevc });
    for (let i = 0; i < t.offsets.length; i++) {
      if (++total > MAX_SAMPLES) return null;
      if (t.sizes[i] > 0) checkpoints.push({ offset: t.offsets[i], size: t.sizes[i], kind: kindIx });
    }
  }
  checkpoints.sort((a, b) => a.offset - b.offset);
  const sorted = m.extents.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset);
  const merged: { offset: number; length: number }[] = [];
  for (const c of sorted) {
    const last = merged[merged.length - 1];
    if (last && c.offset <= last.offset + last.length) last.length = Math.max(last.length, c.offset + c.length - last.offset);
    else merged.push({ ...c });
  }
  if (merged.length === 0) return null;
  let dataEnd = 0;
  for (const c of merged) dataEnd = Math.max(dataEnd, c.offset + c.length);
  return { kinds, checkpoints, chunks: merged, dataEnd, dataStart: merged[0].offset };
}
