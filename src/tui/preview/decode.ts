// Turn a found file's bytes into what the Preview tab shows: a small RGB picture, metadata
// rows (EXIF dates, camera, GPS) and the first bytes. Runs in the preview worker.
// Everything here reads untrusted bytes: decoders are bounded and their errors are results.
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { createRequire } from 'node:module';
import type { FormatId } from '../../core/types.ts';

export interface DecodedPreview {
  image?: { width: number; height: number; rgb: Uint8Array };
  meta: [string, string][];
  hex: Uint8Array;
  error?: string;
}

/** Largest side of the picture handed to the UI: plenty for a terminal, small to send. */
export const PREVIEW_MAX = 320;
const HEX_BYTES = 256;

/** Box-average an RGBA/RGB buffer down to fit within max x max. */
export function shrink(src: Uint8Array, width: number, height: number, channels: number, max = PREVIEW_MAX): { width: number; height: number; rgb: Uint8Array } {
  const scale = Math.min(1, max / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      // sample at most 4x4 source pixels per output pixel: fast and smooth enough
      const sy = Math.max(1, Math.floor((y1 - y0) / 4));
      const sx = Math.max(1, Math.floor((x1 - x0) / 4));
      for (let yy = y0; yy < y1; yy += sy) {
        for (let xx = x0; xx < x1; xx += sx) {
          const i = (yy * width + xx) * channels;
          r += src[i];
          g += src[i + 1];
          b += src[i + 2];
          n++;
        }
      }
      const o = (y * w + x) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
    }
  }
  return { width: w, height: h, rgb: out };
}

/** Apply EXIF orientation 3 (180°), 6 (90° cw) or 8 (90° ccw). */
export function orient(img: { width: number; height: number; rgb: Uint8Array }, orientation: number | undefined) {
  if (orientation !== 3 && orientation !== 6 && orientation !== 8) return img;
  const { width: w, height: h, rgb } = img;
  const ow = orientation === 3 ? w : h;
  const oh = orientation === 3 ? h : w;
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number;
      let ny: number;
      if (orientation === 3) [nx, ny] = [w - 1 - x, h - 1 - y];
      else if (orientation === 6) [nx, ny] = [h - 1 - y, x];
      else [nx, ny] = [y, w - 1 - x];
      const si = (y * w + x) * 3;
      const di = (ny * ow + nx) * 3;
      out[di] = rgb[si];
      out[di + 1] = rgb[si + 1];
      out[di + 2] = rgb[si + 2];
    }
  }
  return { width: ow, height: oh, rgb: out };
}

function decodeJpeg(bytes: Uint8Array) {
  const d = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: true,
    maxResolutionInMP: 120,
    maxMemoryUsageInMB: 1024,
  });
  return shrink(d.data, d.width, d.height, 3);
}

type HeicDecode = (o: { buffer: Uint8Array }) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
let heicDecode: HeicDecode | null = null;

async function decodeHeic(bytes: Uint8Array) {
  // heic-decode is CommonJS and loads a wasm build of libheif; load it only when needed.
  heicDecode ??= createRequire(import.meta.url)('heic-decode') as HeicDecode;
  const d = await heicDecode({ buffer: bytes });
  if (!(d.width > 0 && d.height > 0 && d.width * d.height <= 200e6)) throw new Error('HEIC image has no usable size');
  return shrink(new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.byteLength), d.width, d.height, 4);
}

/** A video's ISO-BMFF brand from its leading ftyp box ('isom', 'qt  ', '3gp5'…). */
export function videoBrand(bytes: Uint8Array): [string, string][] {
  if (bytes.length < 16 || Buffer.from(bytes.subarray(4, 8)).toString('latin1') !== 'ftyp') return [];
  const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
  return /^[\x20-\x7e]{4}$/.test(brand) ? [['Brand', brand.trim()]] : [];
}

function fmtDate(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  return typeof v === 'string' ? v : undefined;
}

async function readMeta(bytes: Uint8Array): Promise<{ meta: [string, string][]; orientation?: number; thumb?: Uint8Array }> {
  const meta: [string, string][] = [];
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, { tiff: true, exif: true, gps: true, ifd1: false, xmp: false, icc: false, iptc: false, translateValues: false })) as
      | Record<string, unknown>
      | undefined;
  } catch {
    tags = undefined;
  }
  if (!tags) return { meta };
  const taken = fmtDate(tags.DateTimeOriginal) ?? fmtDate(tags.CreateDate) ?? fmtDate(tags.ModifyDate);
  if (taken) meta.push(['Taken', taken]);
  const make = typeof tags.Make === 'string' ? tags.Make.trim() : '';
  const model = typeof tags.Model === 'string' ? tags.Model.trim() : '';
  // Many cameras repeat the maker in the model ("Canon" + "Canon PowerShot G9").
  const camera = make && model.toLowerCase().startsWith(make.split(' ')[0].toLowerCase()) ? model : `${make} ${model}`.trim();
  if (camera) meta.push(['Camera', camera]);
  if (typeof tags.LensModel === 'string') meta.push(['Lens', tags.LensModel]);
  const w = tags.ExifImageWidth ?? tags.ImageWidth;
  const h = tags.ExifImageHeight ?? tags.ImageHeight;
  if (typeof w === 'number' && typeof h === 'number' && w > 0 && h > 0) meta.push(['Pixels', `${w} x ${h}`]);
  if (typeof tags.latitude === 'number' && typeof tags.longitude === 'number') {
    meta.push(['GPS', `${tags.latitude.toFixed(5)}, ${tags.longitude.toFixed(5)}`]);
  }
  let thumb: Uint8Array | undefined;
  try {
    const t = await exifr.thumbnail(bytes);
    if (t && t.length > 100) thumb = t instanceof Uint8Array ? t : new Uint8Array(t as ArrayBuffer);
  } catch {
    thumb = undefined;
  }
  return { meta, orientation: typeof tags.Orientation === 'number' ? tags.Orientation : undefined, thumb };
}

/**
 * Decode for the preview. `want` is the picture size wanted in pixels: when the EXIF thumbnail
 * is at least that big it is used, and the full image is not decoded (a 24 MP JPEG takes
 * seconds in pure JS; its 160x120 thumbnail milliseconds).
 */
export async function decodePreview(bytes: Uint8Array, format: FormatId, want = 120): Promise<DecodedPreview> {
  const hex = bytes.slice(0, HEX_BYTES);
  if (format === 'mp4' || format === 'mov') return { meta: videoBrand(bytes), hex };
  const { meta, orientation, thumb } = await readMeta(bytes);
  try {
    let img;
    if (format === 'jpeg') {
      if (thumb) {
        try {
          const t = decodeJpeg(thumb);
          if (Math.max(t.width, t.height) >= want) img = t;
        } catch {
          img = undefined;
        }
      }
      img ??= decodeJpeg(bytes);
      img = orient(img, orientation);
    } else {
      img = await decodeHeic(bytes);
    }
    return { image: img, meta, hex };
  } catch (e) {
    return { meta, hex, error: (e as Error).message || String(e) };
  }
}
