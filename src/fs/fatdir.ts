// Parsing one FAT directory's bytes into entries: 8.3 entries, long-name (LFN) runs, live and
// deleted. Pure functions over a buffer; the tree walk lives in fatwalk.ts.
import { utf16 } from './blockcache.ts';

export interface FatDirent {
  /** Byte offset of the 8.3 entry inside the directory buffer. */
  at: number;
  deleted: boolean;
  /** The 8.3 name after its first byte, as "MG_0101.JPG" (case bits applied). */
  shortRest: string;
  /** The first character of the 8.3 name, '' when lost (deleted and no LFN checksum to restore it). */
  shortFirst: string;
  longName?: string;
  attr: number;
  isDir: boolean;
  isLabel: boolean;
  /** "." or ".." */
  isDot: boolean;
  clusterLo: number;
  clusterHi: number;
  size: number;
  crtTenth: number;
  crtTime: number;
  crtDate: number;
  accDate: number;
  wrtTime: number;
  wrtDate: number;
  /** The 11 name bytes as they are (for the volume label). */
  raw11: string;
  /** True when the 8.3 bytes pass the strict checks used for deleted and stray entries. */
  plausible: boolean;
  /** True when the entry lies after the end-of-directory marker (0x00). */
  afterEnd: boolean;
}

/** Characters never allowed in an 8.3 name (besides control bytes). */
const FORBIDDEN = new Set([...'"*+,./:;<=>?[\\]|'].map((c) => c.charCodeAt(0)));

export function validShortByte(b: number): boolean {
  return b >= 0x20 && b !== 0x7f && !FORBIDDEN.has(b);
}

/** The LFN checksum of an 11-byte 8.3 name. */
export function shortNameChecksum(name: Buffer | number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((((sum & 1) << 7) | (sum >> 1)) + name[i]) & 0xff;
  return sum;
}

/**
 * The checksum is a bijection of the first byte when the other ten are fixed, so an LFN run's
 * checksum gives back the exact first byte a delete overwrote.
 */
export function firstByteFromChecksum(entry: Buffer, checksum: number): number | null {
  const name = [...entry.subarray(0, 11)];
  for (let b = 0x20; b < 0x100; b++) {
    if (b === 0xe5) continue;
    name[0] = b;
    if (shortNameChecksum(name) === checksum) return validShortByte(b) && b !== 0x20 ? b : null;
  }
  return null;
}

const latin1 = (buf: Buffer, from: number, to: number): string => buf.subarray(from, to).toString('latin1');

/** The 8.3 name's parts after the first byte, with the NT lowercase flags applied. */
function shortParts(e: Buffer): { first: string; rest: string } {
  const nt = e[12];
  let base = latin1(e, 0, 8).replace(/ +$/, '');
  let ext = latin1(e, 8, 11).replace(/ +$/, '');
  if (nt & 0x08) base = base.toLowerCase();
  if (nt & 0x10) ext = ext.toLowerCase();
  const full = ext ? `${base}.${ext}` : base;
  return { first: full.slice(0, 1), rest: full.slice(1) };
}

interface LfnPart {
  ord: number;
  deleted: boolean;
  checksum: number;
  units: number[];
}

function lfnUnits(e: Buffer): number[] {
  const u: number[] = [];
  for (const [from, n] of [
    [1, 5],
    [14, 6],
    [28, 2],
  ]) {
    for (let i = 0; i < n; i++) u.push(e.readUInt16LE(from + i * 2));
  }
  return u;
}

/** Join LFN parts given nearest-to-the-8.3-entry first; null when the run is malformed. */
function joinLfn(partsNearestFirst: LfnPart[]): string | null {
  const units: number[] = [];
  for (let i = 0; i < partsNearestFirst.length; i++) {
    const p = partsNearestFirst[i];
    const end = p.units.indexOf(0);
    const last = i === partsNearestFirst.length - 1;
    if (end >= 0 && !last) return null; // a terminator inside the run: parts from two names
    units.push(...(end >= 0 ? p.units.slice(0, end) : p.units));
  }
  // A full last part has no terminator and no 0xFFFF padding; otherwise padding follows the 0.
  const name = utf16(Buffer.from(Uint16Array.from(units).buffer), 0, units.length);
  if (!name || units.includes(0xffff)) return null;
  return name;
}

/**
 * A deleted run may have lost its farthest parts to newer entries; then the name has no
 * terminator and is cut short. When there is no terminator, require the long name to end with
 * the 8.3 extension, as names made from a long name do.
 */
function tailAgrees(nearestFirst: LfnPart[], name: string, e: Buffer): boolean {
  if (nearestFirst[nearestFirst.length - 1].units.includes(0)) return true;
  const ext = latin1(e, 8, 11).replace(/ +$/, '');
  const dot = name.lastIndexOf('.');
  return !ext || (dot >= 0 && name.slice(dot + 1).toUpperCase().startsWith(ext));
}

function isLfnEntry(e: Buffer): boolean {
  return (e[11] & 0x3f) === 0x0f && e[12] === 0 && e.readUInt16LE(26) === 0;
}

/** Does this 32-byte slot look like a directory entry (or an empty slot)? */
export function slotLooksValid(e: Buffer): boolean {
  if (e[0] === 0) return true;
  if (isLfnEntry(e)) return e[0] === 0xe5 || ((e[0] & 0x1f) >= 1 && (e[0] & 0x1f) <= 20 && (e[0] & 0xa0) === 0);
  if (e[11] & 0xc0) return false;
  if (e[0] === 0x2e) return true;
  for (let i = 1; i < 11; i++) if (!validShortByte(e[i])) return false;
  return e[0] === 0xe5 || e[0] === 0x05 || validShortByte(e[0]);
}

/** Parse every 32-byte slot of a directory buffer. */
export function parseFatDir(buf: Buffer, fat32: boolean): FatDirent[] {
  const out: FatDirent[] = [];
  let run: LfnPart[] = [];
  let afterEnd = false;
  for (let at = 0; at + 32 <= buf.length; at += 32) {
    const e = buf.subarray(at, at + 32);
    if (e[0] === 0) {
      afterEnd = true;
      run = [];
      continue;
    }
    if (isLfnEntry(e)) {
      const part: LfnPart = { ord: e[0], deleted: e[0] === 0xe5, checksum: e[13], units: lfnUnits(e) };
      const prev = run[run.length - 1];
      if (part.deleted) {
        run = prev && prev.deleted && prev.checksum === part.checksum && run.length < 20 ? [...run, part] : [part];
      } else if (part.ord & 0x40) {
        run = [part];
      } else if (prev && !prev.deleted && (prev.ord & 0x1f) === part.ord + 1 && prev.checksum === part.checksum) {
        run.push(part);
      } else {
        run = [];
      }
      continue;
    }
    const deleted = e[0] === 0xe5;
    const attr = e[11];
    const isDot = e[0] === 0x2e && (e[1] === 0x20 || (e[1] === 0x2e && e[2] === 0x20));
    const parts = shortParts(e);
    const rest = parts.rest;
    let first = parts.first;
    if (e[0] === 0x05) first = '\u00e5'; // 0x05 stands for a real 0xE5 first byte
    let longName: string | undefined;
    if (run.length && !isDot) {
      const nearestFirst = [...run].reverse();
      if (!deleted) {
        const ok =
          run.every((p) => !p.deleted && p.checksum === shortNameChecksum(e)) &&
          run[0].ord & 0x40 &&
          (run[0].ord & 0x1f) === run.length &&
          (run[run.length - 1].ord & 0x1f) === 1;
        if (ok) longName = joinLfn(nearestFirst) ?? undefined;
      } else if (run.every((p) => p.deleted)) {
        const b = firstByteFromChecksum(e, run[0].checksum);
        const name = b === null ? null : joinLfn(nearestFirst);
        if (b !== null && name && tailAgrees(nearestFirst, name, e)) {
          longName = name;
          const restored = Buffer.from(e.subarray(0, 11));
          restored[0] = b;
          first = shortParts(Buffer.concat([restored, e.subarray(11)])).first;
        }
      }
    }
    run = [];
    if (deleted && longName === undefined) first = '';
    let plausible = (attr & 0xc0) === 0;
    for (let i = 1; i < 11 && plausible; i++) if (!validShortByte(e[i]) && !(isDot && e[i] === 0x2e)) plausible = false;
    if (!deleted && !isDot && e[0] !== 0x05 && !validShortByte(e[0])) plausible = false;
    if (plausible && !isDot && (first + rest).replace(/[ .]/g, '') === '' && !longName) plausible = false;
    out.push({
      at,
      deleted,
      shortRest: rest,
      shortFirst: first,
      raw11: latin1(e, 0, 11),
      longName,
      attr,
      isDir: (attr & 0x10) !== 0,
      isLabel: (attr & 0x08) !== 0,
      isDot,
      clusterLo: e.readUInt16LE(26),
      clusterHi: fat32 ? e.readUInt16LE(20) : 0,
      size: e.readUInt32LE(28),
      crtTenth: e[13],
      crtTime: e.readUInt16LE(14),
      crtDate: e.readUInt16LE(16),
      accDate: e.readUInt16LE(18),
      wrtTime: e.readUInt16LE(22),
      wrtDate: e.readUInt16LE(24),
      plausible,
      afterEnd,
    });
  }
  return out;
}
