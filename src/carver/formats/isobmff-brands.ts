// Which of our formats an ISO-BMFF file is, decided from its 'ftyp' box (major brand first,
// then the compatible brands). Runs at every candidate sector start, so it stays cheap.
import type { FormatId } from '../../core/types.ts';
import type { ProbeResult } from '../format.ts';

/** HEIF still images and image sequences (HEVC, AVC and plain HEIF structure brands). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2', 'avci', 'avcs', 'avic']);
/** 3GPP / 3GPP2: written as .3gp (the mp4 family, its own extension). */
const THREEGP_BRANDS = new Set(['3gp4', '3gp5', '3gp6', '3gp7', '3gp8', '3gp9', '3gg6', '3ge6', '3ge7', '3ge9', '3gs7', '3gr6', '3g2a', '3g2b', '3g2c', 'kddi']);
/** MP4 video brands seen from cameras, phones and encoders. */
const MP4_BRANDS = new Set([
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'mp71', 'avc1', 'M4V ', 'M4VH', 'M4VP',
  'dash', 'msdh', 'msix', 'MSNV', 'XAVC', 'f4v ', 'mmp4', 'NDAS', 'NDSC', 'NDSH', 'NDSM', 'NDSP', 'NDSS', 'NDXC', 'NDXH', 'NDXM',
  'NDXP', 'NDXS', 'CAEP', 'FACE', 'isml', 'piff', 'cmfc', 'cmfs', 'cmf2', 'hvc1', 'av01', 'mp4v',
]);
const MOV_BRANDS = new Set(['qt  ']);
/** Brands of ISO-BMFF files that are not ours (audio, AVIF, raw, JPEG 2000): never claim them. */
const FOREIGN_MAJOR = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ', 'avif', 'avis', 'crx ', 'jp2 ', 'jpx ', 'jpm ', 'mjp2', 'mj2s']);

export interface FtypInfo {
  size: number;
  major: string;
  compatible: string[];
}

function brandByte(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || c === 0;
}

/**
 * Parse the 'ftyp' box at the start of `head`. Checks the size is 16 + 4n and at most 256,
 * and that every brand is printable (or zero padding): junk fails here cheaply.
 */
export function parseFtyp(head: Buffer): FtypInfo | null {
  if (head.length < 16) return null;
  if (head[4] !== 0x66 || head[5] !== 0x74 || head[6] !== 0x79 || head[7] !== 0x70) return null;
  const size = head.readUInt32BE(0);
  if (size < 16 || size > 256 || (size - 16) % 4 !== 0) return null;
  const upto = Math.min(size, head.length);
  for (let i = 8; i < upto; i++) {
    if (i >= 12 && i < 16) continue; // minor version: any value
    if (!brandByte(head[i])) return null;
  }
  const major = head.toString('latin1', 8, 12);
  if (major === '\0\0\0\0') return null;
  const compatible: string[] = [];
  for (let p = 16; p + 4 <= upto; p += 4) compatible.push(head.toString('latin1', p, p + 4));
  return { size, major, compatible };
}

function classifyBrand(b: string): { format: FormatId; ext: string } | null {
  if (HEIC_BRANDS.has(b)) return { format: 'heic', ext: 'heic' };
  if (MOV_BRANDS.has(b)) return { format: 'mov', ext: 'mov' };
  if (THREEGP_BRANDS.has(b)) return { format: 'mp4', ext: '3gp' };
  if (MP4_BRANDS.has(b)) return { format: 'mp4', ext: 'mp4' };
  return null;
}

/** Decide the format from the brands: the major brand wins; otherwise the first known compatible one. */
export function classifyFtyp(head: Buffer): ProbeResult | null {
  const f = parseFtyp(head);
  if (!f) return null;
  if (FOREIGN_MAJOR.has(f.major)) return null;
  const major = classifyBrand(f.major);
  // An AVIF still saying only 'mif1' is a HEIF container of AV1 pictures: not a .heic.
  if (major?.format === 'heic' && f.compatible.some((c) => c === 'avif' || c === 'avis') && !f.compatible.some((c) => c.startsWith('he'))) return null;
  if (major) return { ...major, brand: f.major };
  // HEIF brands among the compatible ones take precedence over generic ISO ones.
  for (const c of f.compatible) if (HEIC_BRANDS.has(c) && c !== 'mif1' && c !== 'msf1') return { format: 'heic', ext: 'heic', brand: f.major };
  for (const c of f.compatible) {
    const k = classifyBrand(c);
    if (k) return { ...k, brand: f.major };
  }
  return null;
}
