// Test helpers for the JPEG module: corpus paths, seeded noise, and small independent
// readers of JPEG layout (written separately from the module so they can check it).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const MEDIA_DIR = resolve(repoRoot, '../shared/corpus/media');
export const SYNTH_DIR = resolve(process.env.PHOTORESCUE_CORPUS_WORK ?? '/tmp/photorescue-corpus', 'synth');
/** Small committed JPEGs made by jpeg-fixtures/make.sh (cjpeg), for cases the corpus lacks. */
export const FIXTURE_DIR = resolve(repoRoot, 'test/carver/formats/jpeg-fixtures');

export function jpegsIn(dir: string, prefix = ''): { name: string; bytes: Buffer }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg') && f.startsWith(prefix))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Deterministic noise (mulberry32), so a failing case can be replayed. */
export function noise(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

export function seededInt(seed: number, lo: number, hi: number): number {
  const b = noise(4, seed);
  return lo + (b.readUInt32LE(0) % Math.max(1, hi - lo));
}

/** Segments of a JPEG up to the first SOS: marker code, segment start, payload [start, end). */
export function segments(b: Buffer): { marker: number; at: number; start: number; end: number }[] {
  const out: { marker: number; at: number; start: number; end: number }[] = [];
  let p = 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const m = b[p + 1];
    const len = b.readUInt16BE(p + 2);
    out.push({ marker: m, at: p, start: p + 4, end: p + 2 + len });
    if (m === 0xda) break;
    p += 2 + len;
  }
  return out;
}

/** Offset of the first byte of entropy-coded data (just after the first SOS header). */
export function entropyStart(b: Buffer): number {
  const sos = segments(b).find((s) => s.marker === 0xda);
  if (!sos) throw new Error('no SOS');
  return sos.end;
}

/** The EXIF thumbnail by its IFD1 tags (JPEGInterchangeFormat / …Length), absolute in `b`. */
export function exifThumbnail(b: Buffer): { offset: number; length: number; appEnd: number } | null {
  const app1 = segments(b).find((s) => s.marker === 0xe1 && b.subarray(s.start, s.start + 6).toString('latin1') === 'Exif\0\0');
  if (!app1) return null;
  const t = app1.start + 6;
  const le = b[t] === 0x49;
  const u16 = (o: number): number => (le ? b.readUInt16LE(t + o) : b.readUInt16BE(t + o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(t + o) : b.readUInt32BE(t + o));
  const ifd0 = u32(4);
  const ifd1 = u32(ifd0 + 2 + 12 * u16(ifd0));
  if (ifd1 === 0 || t + ifd1 + 2 > app1.end) return null;
  let off = -1;
  let len = -1;
  for (let i = 0; i < u16(ifd1); i++) {
    const e = ifd1 + 2 + 12 * i;
    if (u16(e) === 0x0201) off = u32(e + 8);
    if (u16(e) === 0x0202) len = u32(e + 8);
  }
  if (off < 0 || len <= 0) return null;
  return { offset: t + off, length: len, appEnd: app1.end };
}

/** The same JPEG without its APPn segments (so the frame header sits in the first bytes). */
export function stripApps(b: Buffer): Buffer {
  const keep: Buffer[] = [b.subarray(0, 2)];
  let from = 2;
  for (const s of segments(b)) {
    if (s.marker >= 0xe0 && s.marker <= 0xef) {
      keep.push(b.subarray(from, s.at));
      from = s.end;
    }
  }
  keep.push(b.subarray(from));
  return Buffer.concat(keep);
}

/**
 * A Multi-Picture file made of two real JPEGs: `primary` with an APP2 "MPF\0" index
 * inserted after SOI (CIPA DC-007 layout, little-endian), then `secondary` after its EOI.
 * Offsets in the index count from the MPF TIFF header, as the standard says.
 */
export function buildMpf(primary: Buffer, secondary: Buffer): { file: Buffer; secondaryAt: number } {
  const ifdEntries = 3;
  const ifdSize = 2 + 12 * ifdEntries + 4;
  const entriesAt = 8 + ifdSize;
  const tiff = Buffer.alloc(entriesAt + 32);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(0x2a, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(ifdEntries, 8);
  let e = 10;
  tiff.writeUInt16LE(0xb000, e); // MPFVersion
  tiff.writeUInt16LE(7, e + 2);
  tiff.writeUInt32LE(4, e + 4);
  tiff.write('0100', e + 8, 'latin1');
  e += 12;
  tiff.writeUInt16LE(0xb001, e); // NumberOfImages
  tiff.writeUInt16LE(4, e + 2);
  tiff.writeUInt32LE(1, e + 4);
  tiff.writeUInt32LE(2, e + 8);
  e += 12;
  tiff.writeUInt16LE(0xb002, e); // MPEntry
  tiff.writeUInt16LE(7, e + 2);
  tiff.writeUInt32LE(32, e + 4);
  tiff.writeUInt32LE(entriesAt, e + 8);
  const segLen = 2 + 4 + tiff.length;
  const primarySize = primary.length + 2 + segLen;
  const tiffStart = 2 + 4 + 4; // SOI, FF E2 + length, "MPF\0"
  const secondaryAt = primarySize;
  tiff.writeUInt32LE(0x20030000, entriesAt); // primary, baseline JPEG
  tiff.writeUInt32LE(primarySize, entriesAt + 4);
  tiff.writeUInt32LE(0, entriesAt + 8);
  tiff.writeUInt32LE(0x00010001, entriesAt + 16); // large thumbnail
  tiff.writeUInt32LE(secondary.length, entriesAt + 20);
  tiff.writeUInt32LE(secondaryAt - tiffStart, entriesAt + 24);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe2, 0);
  head.writeUInt16BE(segLen, 2);
  const file = Buffer.concat([primary.subarray(0, 2), head, Buffer.from('MPF\0', 'latin1'), tiff, primary.subarray(2), secondary]);
  return { file, secondaryAt };
}

/**
 * A Google motion photo made of a real JPEG and a real MP4: an XMP APP1 after SOI, then the
 * JPEG, then the video. 'container' writes the Container:Directory of the current format
 * (primary item, then the video item with its Length); 'microvideo' the older
 * GCamera:MicroVideoOffset (bytes of video at the end of the file).
 */
export function buildMotionPhoto(jpegBytes: Buffer, mp4: Buffer, style: 'container' | 'microvideo'): { file: Buffer; videoAt: number } {
  const body =
    style === 'container'
      ? `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
        `<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" xmlns:Container="http://ns.google.com/photos/1.0/container/" ` +
        `xmlns:Item="http://ns.google.com/photos/1.0/container/item/" GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1">` +
        `<Container:Directory><rdf:Seq>` +
        `<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="image/jpeg" Item:Semantic="Primary" Item:Length="0" Item:Padding="0"/></rdf:li>` +
        `<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="video/mp4" Item:Semantic="MotionPhoto" Item:Length="${mp4.length}"/></rdf:li>` +
        `</rdf:Seq></Container:Directory></rdf:Description></rdf:RDF></x:xmpmeta>`
      : `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
        `<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MicroVideo="1" GCamera:MicroVideoVersion="1" ` +
        `GCamera:MicroVideoOffset="${mp4.length}" GCamera:MicroVideoPresentationTimestampUs="0"/></rdf:RDF></x:xmpmeta>`;
  const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(body, 'utf8')]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  const image = Buffer.concat([jpegBytes.subarray(0, 2), head, payload, jpegBytes.subarray(2)]);
  return { file: Buffer.concat([image, mp4]), videoAt: image.length };
}
