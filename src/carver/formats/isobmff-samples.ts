// Where a movie's media data must lie, from its sample tables ('moov' → trak → mdia → minf →
// stbl: stco/co64, stsz/stz2, stsc) and from movie fragments ('moof' → traf: tfhd, trun).
// Offsets are file-relative. Every count is bounded by the bytes that hold it.
import { type Box, child, children, fourcc } from './isobmff-boxes.ts';
import { readU64BE } from '../../core/bounds.ts';

export interface Range {
  offset: number;
  length: number;
}

/** How a video track's samples are framed: NAL units behind big-endian length fields. */
export interface NalCodec {
  lengthSize: number;
  hevc: boolean;
}

/**
 * How a sample's first bytes can be checked: NAL framing, or the start of a JPEG picture
 * (Motion-JPEG video) or of an Exif block (HEIF 'Exif' item).
 */
export type SampleFraming = NalCodec | 'jpeg' | 'exif' | 'mpeg4' | 'h263';

/** Per-sample positions of one checkable track (flat, to stay small for long videos). */
export interface NalSamples {
  codec: SampleFraming;
  offsets: number[];
  sizes: number[];
}

const AVC_ENTRIES = new Set(['avc1', 'avc2', 'avc3', 'avc4']);
const HEVC_ENTRIES = new Set(['hvc1', 'hev1', 'dvh1', 'dvhe']);

/**
 * The NAL framing of a visual sample entry ('avc1' + avcC, 'hvc1' + hvcC), read from the entry
 * box held in `buf` between `entry.start` and `entry.end`. Null for anything else.
 */
export function nalCodecOfEntry(buf: Buffer, entry: Box): NalCodec | null {
  const hevc = HEVC_ENTRIES.has(entry.type);
  if (!hevc && !AVC_ENTRIES.has(entry.type)) return null;
  // VisualSampleEntry: 6 reserved + 2 data_reference_index + 70 bytes of picture fields.
  const conf = children(buf, entry.payload + 78, entry.end).find((b) => b.type === (hevc ? 'hvcC' : 'avcC'));
  const at = conf ? conf.payload + (hevc ? 21 : 4) : -1;
  if (!conf || at >= conf.end) return null;
  const lengthSize = (buf[at] & 3) + 1;
  return lengthSize === 3 ? null : { lengthSize, hevc };
}

function sampleFraming(buf: Buffer, stbl: Box): SampleFraming | null {
  const stsd = child(buf, stbl, 'stsd');
  if (!stsd || stsd.payload + 8 > stsd.end) return null;
  const entries = children(buf, stsd.payload + 8, stsd.end);
  // Several sample descriptions may frame samples differently: check only the plain case.
  if (entries.length !== 1) return null;
  if (entries[0].type === 'jpeg' || entries[0].type === 'mjpa') return 'jpeg';
  // Older phones' 3GP: MPEG-4 Part 2 frames open with a start code, H.263 with a picture start code.
  if (entries[0].type === 'mp4v') return 'mpeg4';
  if (entries[0].type === 's263' || entries[0].type === 'h263') return 'h263';
  return nalCodecOfEntry(buf, entries[0]);
}

/** Most samples we accept per fragment run before calling the run junk. */
const MAX_RUN_SAMPLES = 1_000_000;
/** Most samples per track whose framing we keep for checking (bounds memory on hostile tables). */
const MAX_CHECKED_SAMPLES = 2_000_000;

export interface MovieInfo {
  /** Tracks whose tables we could read. */
  tracks: number;
  /** Tracks whose data lives in another file (QuickTime/ISO data references): not checked. */
  externalTracks: number;
  /** Tables that contradict themselves (counts past their box): the moov is damaged. */
  broken: string[];
  /** True when the movie says it is fragmented ('mvex'): the samples are in 'moof' runs. */
  fragmented: boolean;
  /** Default sample size per track from 'trex' (fragmented movies). */
  trexSize: Map<number, number>;
  /** The chunks, one range per chunk, unsorted. */
  chunks: Range[];
  /** True when the moov has a compressed header ('cmov') we do not read. */
  compressed: boolean;
  /** Video samples whose NAL framing can be checked, per track. */
  nal: NalSamples[];
  /** NAL framing per track_ID, for samples that come in movie fragments. */
  trackCodec: Map<number, NalCodec>;
}

/** Bytes per chunk for a track whose stsz says "every sample is 1 byte" (QuickTime sound). */
function soundBytesPerSample(buf: Buffer, stsd: Box | undefined): { num: number; den: number } | null {
  if (!stsd || stsd.payload + 8 + 36 > stsd.end) return null;
  const entry = stsd.payload + 8;
  const format = fourcc(buf, entry + 4);
  const version = buf.readUInt16BE(entry + 16);
  const channels = buf.readUInt16BE(entry + 24);
  const bits = buf.readUInt16BE(entry + 26);
  if (version === 1 && entry + 52 <= stsd.end) {
    const samplesPerPacket = buf.readUInt32BE(entry + 36);
    const bytesPerFrame = buf.readUInt32BE(entry + 44);
    if (samplesPerPacket > 0 && bytesPerFrame > 0) return { num: bytesPerFrame, den: samplesPerPacket };
  }
  if (version === 2 && entry + 72 <= stsd.end) {
    const bytesPerPacket = buf.readUInt32BE(entry + 64);
    const framesPerPacket = buf.readUInt32BE(entry + 68);
    if (bytesPerPacket > 0 && framesPerPacket > 0) return { num: bytesPerPacket, den: framesPerPacket };
  }
  const pcm = ['twos', 'sowt', 'raw ', 'in24', 'in32', 'fl32', 'fl64', 'lpcm', 'NONE'];
  if (version === 0 && pcm.includes(format) && channels > 0 && bits > 0 && bits % 8 === 0) return { num: (channels * bits) / 8, den: 1 };
  return null;
}

/** Is the track's data in this file? (dref: 'url '/'alis' with flag 1 = self-contained). */
function selfContained(buf: Buffer, minf: Box): boolean {
  const dinf = child(buf, minf, 'dinf');
  if (!dinf) return true;
  const dref = child(buf, dinf, 'dref');
  if (!dref || dref.payload + 8 > dref.end) return true;
  const entries = children(buf, dref.payload + 8, dref.end);
  if (entries.length === 0) return true;
  const e = entries[0]; // sample descriptions almost always use data reference 1
  if (e.payload + 4 > e.end) return true;
  return (buf.readUInt32BE(e.payload) & 1) === 1;
}

function trackChunks(buf: Buffer, trak: Box, info: MovieInfo): void {
  const mdia = child(buf, trak, 'mdia');
  const minf = mdia && child(buf, mdia, 'minf');
  const stbl = minf && child(buf, minf, 'stbl');
  if (!mdia || !minf || !stbl) return;
  if (!selfContained(buf, minf)) {
    info.externalTracks++;
    return;
  }
  const kids = children(buf, stbl.payload, stbl.end);
  const find = (t: string): Box | undefined => kids.find((k) => k.type === t);
  const stco = find('stco');
  const co64 = find('co64');
  const stsc = find('stsc');
  const stsz = find('stsz');
  const stz2 = find('stz2');
  const hdlr = child(buf, mdia, 'hdlr');
  const handler = hdlr && hdlr.payload + 12 <= hdlr.end ? fourcc(buf, hdlr.payload + 8) : '';
  info.tracks++;
  const codec = sampleFraming(buf, stbl);
  const tkhd = child(buf, trak, 'tkhd');
  if (codec && typeof codec === 'object' && tkhd && tkhd.payload + 24 <= tkhd.end) info.trackCodec.set(buf.readUInt32BE(tkhd.payload + (buf[tkhd.payload] === 1 ? 20 : 12)), codec);
  const nal: NalSamples | null = codec ? { codec, offsets: [], sizes: [] } : null;
  if (nal) info.nal.push(nal);

  // Chunk offsets.
  const offsets: number[] = [];
  const co = stco ?? co64;
  if (!co) {
    // No chunks is fine for an empty track or a fragmented movie, not when samples are listed.
    const sz = stsz ?? stz2;
    if (sz && sz.payload + 12 <= sz.end && buf.readUInt32BE(sz.payload + 8) > 0) info.broken.push('samples without chunk offsets');
    return;
  }
  const width = co === stco ? 4 : 8;
  if (co.payload + 8 > co.end) return void info.broken.push('short chunk offset box');
  const nChunks = buf.readUInt32BE(co.payload + 4);
  if (nChunks > (co.end - co.payload - 8) / width) return void info.broken.push('chunk count past its box');
  for (let i = 0; i < nChunks; i++) {
    const at = co.payload + 8 + i * width;
    offsets.push(width === 4 ? buf.readUInt32BE(at) : readU64BE(buf, at));
  }
  if (nChunks === 0) return;

  // Sample sizes.
  let constSize = 0;
  let sizes: ArrayLike<number> = [];
  let nSamples = 0;
  if (stsz && stsz.payload + 12 <= stsz.end) {
    constSize = buf.readUInt32BE(stsz.payload + 4);
    nSamples = buf.readUInt32BE(stsz.payload + 8);
    if (constSize === 0) {
      if (nSamples > (stsz.end - stsz.payload - 12) / 4) return void info.broken.push('sample count past its box');
      const arr = new Uint32Array(nSamples);
      for (let i = 0; i < nSamples; i++) arr[i] = buf.readUInt32BE(stsz.payload + 12 + i * 4);
      sizes = arr;
    }
  } else if (stz2 && stz2.payload + 12 <= stz2.end) {
    const field = buf[stz2.payload + 7];
    nSamples = buf.readUInt32BE(stz2.payload + 8);
    if (field !== 4 && field !== 8 && field !== 16) return void info.broken.push('bad stz2 field size');
    if (nSamples > ((stz2.end - stz2.payload - 12) * 8) / field) return void info.broken.push('sample count past its box');
    const arr = new Uint32Array(nSamples);
    const base = stz2.payload + 12;
    for (let i = 0; i < nSamples; i++) {
      if (field === 16) arr[i] = buf.readUInt16BE(base + i * 2);
      else if (field === 8) arr[i] = buf[base + i];
      else arr[i] = i % 2 === 0 ? buf[base + (i >> 1)] >> 4 : buf[base + (i >> 1)] & 15;
    }
    sizes = arr;
  } else {
    return void info.broken.push('no sample size box');
  }

  // Sample-to-chunk runs.
  if (!stsc || stsc.payload + 8 > stsc.end) return void info.broken.push('no sample-to-chunk box');
  const nRuns = buf.readUInt32BE(stsc.payload + 4);
  if (nRuns > (stsc.end - stsc.payload - 8) / 12) return void info.broken.push('sample-to-chunk count past its box');
  if (nRuns === 0) return void info.broken.push('empty sample-to-chunk box');
  let perByte: { num: number; den: number } | null = { num: constSize, den: 1 };
  if (constSize === 1 && handler === 'soun') perByte = soundBytesPerSample(buf, child(buf, stbl, 'stsd'));

  let sample = 0;
  let run = 0;
  for (let c = 0; c < nChunks; c++) {
    const chunkNo = c + 1;
    while (run + 1 < nRuns && buf.readUInt32BE(stsc.payload + 8 + (run + 1) * 12) <= chunkNo) run++;
    const perChunk = buf.readUInt32BE(stsc.payload + 8 + run * 12 + 4);
    let bytes = 0;
    if (constSize === 0) {
      const last = Math.min(nSamples, sample + perChunk);
      for (let s = sample; s < last; s++) {
        if (nal && nal.offsets.length < MAX_CHECKED_SAMPLES) {
          nal.offsets.push(offsets[c] + bytes);
          nal.sizes.push(sizes[s]);
        }
        bytes += sizes[s];
      }
    } else if (perByte) {
      bytes = Math.ceil((perChunk * perByte.num) / perByte.den);
    } else {
      bytes = 1; // unknown packing: only the chunk's first byte is certain
    }
    sample += perChunk;
    info.chunks.push({ offset: offsets[c], length: bytes });
  }
}

/** Read a 'moov' payload held in `buf` (the whole box, header included). */
export function parseMoov(buf: Buffer): MovieInfo {
  const info: MovieInfo = {
    tracks: 0, externalTracks: 0, broken: [], fragmented: false, trexSize: new Map(), chunks: [], compressed: false, nal: [], trackCodec: new Map(),
  };
  const top = children(buf, 0, buf.length)[0];
  if (!top) return info;
  for (const b of children(buf, top.payload, top.end)) {
    if (b.type === 'trak') trackChunks(buf, b, info);
    else if (b.type === 'cmov') info.compressed = true;
    else if (b.type === 'mvex') {
      info.fragmented = true;
      for (const t of children(buf, b.payload, b.end)) {
        if (t.type !== 'trex' || t.payload + 24 > t.end) continue;
        info.trexSize.set(buf.readUInt32BE(t.payload + 4), buf.readUInt32BE(t.payload + 16));
      }
    }
  }
  return info;
}

/**
 * The data ranges of one 'moof' held in `buf`, which sits at `moofOffset` in the file.
 * Pushes a reason to `broken` when the boxes contradict themselves.
 */
export function parseMoof(
  buf: Buffer,
  moofOffset: number,
  movie: Pick<MovieInfo, 'trexSize' | 'trackCodec'>,
  out: Range[],
  broken: string[],
  nalOut: NalSamples[],
): void {
  const trexSize = movie.trexSize;
  const top = children(buf, 0, buf.length)[0];
  if (!top) return void broken.push('unreadable moof');
  let prevTrafEnd = moofOffset;
  let first = true;
  for (const traf of children(buf, top.payload, top.end)) {
    if (traf.type !== 'traf') continue;
    const kids = children(buf, traf.payload, traf.end);
    const tfhd = kids.find((k) => k.type === 'tfhd');
    if (!tfhd || tfhd.payload + 8 > tfhd.end) return void broken.push('traf without tfhd');
    const flags = buf.readUInt32BE(tfhd.payload) & 0xffffff;
    const trackId = buf.readUInt32BE(tfhd.payload + 4);
    let p = tfhd.payload + 8;
    let base = first || flags & 0x20000 ? moofOffset : prevTrafEnd;
    const need = (n: number): boolean => p + n <= tfhd.end;
    if (flags & 0x1) {
      if (!need(8)) return void broken.push('short tfhd');
      base = readU64BE(buf, p);
      p += 8;
    }
    if (flags & 0x2) p += 4;
    if (flags & 0x8) p += 4;
    let defaultSize = trexSize.get(trackId) ?? 0;
    if (flags & 0x10) {
      if (!need(4)) return void broken.push('short tfhd');
      defaultSize = buf.readUInt32BE(p);
      p += 4;
    }
    first = false;
    let cursor = base;
    for (const trun of kids) {
      if (trun.type !== 'trun') continue;
      if (trun.payload + 8 > trun.end) return void broken.push('short trun');
      const tf = buf.readUInt32BE(trun.payload) & 0xffffff;
      const count = buf.readUInt32BE(trun.payload + 4);
      let q = trun.payload + 8;
      if (tf & 0x1) {
        if (q + 4 > trun.end) return void broken.push('short trun');
        cursor = base + buf.readInt32BE(q);
        q += 4;
      }
      if (tf & 0x4) q += 4;
      const perSample = ((tf & 0x100) ? 4 : 0) + ((tf & 0x200) ? 4 : 0) + ((tf & 0x400) ? 4 : 0) + ((tf & 0x800) ? 4 : 0);
      if (count > MAX_RUN_SAMPLES || (perSample > 0 && q + count * perSample > trun.end)) return void broken.push('trun sample count past its box');
      let bytes = 0;
      const codec = movie.trackCodec.get(trackId);
      const nal: NalSamples | null = codec ? { codec, offsets: [], sizes: [] } : null;
      if (nal) nalOut.push(nal);
      const sizeAt = (tf & 0x100) ? 4 : 0;
      for (let i = 0; i < count; i++) {
        const size = tf & 0x200 ? buf.readUInt32BE(q + i * perSample + sizeAt) : defaultSize;
        if (nal && nal.offsets.length < MAX_CHECKED_SAMPLES) {
          nal.offsets.push(cursor + bytes);
          nal.sizes.push(size);
        }
        bytes += size;
      }
      if (cursor < 0) return void broken.push('trun data before the file');
      if (count > 0) out.push({ offset: cursor, length: bytes });
      cursor += bytes;
    }
    prevTrafEnd = cursor;
  }
}

/** Sort and merge ranges that touch or overlap. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.length >= 0).sort((a, b) => a.offset - b.offset);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, r.offset + r.length - last.offset);
    } else {
      out.push({ offset: r.offset, length: r.length });
    }
  }
  return out;
}
