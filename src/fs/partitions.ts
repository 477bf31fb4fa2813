// Partition tables: MBR (primary entries), GPT (header + entries, names), or none (a
// filesystem starting at offset 0, as on some cards and most floppy-style images).
import type { ByteReader, Partition } from '../core/types.ts';
import { readFull, utf16 } from './blockcache.ts';
import { looksLikeExfatBoot } from './exfatboot.ts';
import { looksLikeFatBoot } from './fatboot.ts';

export interface PartitionTable {
  partitions: Partition[];
  problems: string[];
}

const SECTOR = 512;
const MAX_GPT_ENTRIES = 256;

let crcTable: Int32Array | null = null;
export function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (const b of buf) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function guid(b: Buffer, at: number): string {
  const h = (from: number, to: number): string => b.subarray(from, to).toString('hex');
  const le = (from: number, len: number): string => Buffer.from(b.subarray(from, from + len)).reverse().toString('hex');
  return `${le(at, 4)}-${le(at + 4, 2)}-${le(at + 6, 2)}-${h(at + 8, at + 10)}-${h(at + 10, at + 16)}`.toUpperCase();
}

interface GptHeader {
  entriesLba: number;
  count: number;
  entrySize: number;
  entriesCrc: number;
}

function gptHeader(b: Buffer): GptHeader | null {
  if (b.subarray(0, 8).toString('latin1') !== 'EFI PART') return null;
  const size = b.readUInt32LE(12);
  if (size < 92 || size > b.length) return null;
  const copy = Buffer.from(b.subarray(0, size));
  copy.writeUInt32LE(0, 16);
  if (crc32(copy) !== b.readUInt32LE(16)) return null;
  const entriesLba = Number(b.readBigUInt64LE(72));
  const count = b.readUInt32LE(80);
  const entrySize = b.readUInt32LE(84);
  if (entrySize < 128 || entrySize > 1024 || entrySize % 8) return null;
  return { entriesLba, count: Math.min(count, MAX_GPT_ENTRIES), entrySize, entriesCrc: b.readUInt32LE(88) };
}

function readGpt(medium: ByteReader, problems: string[]): Partition[] | null {
  for (const sector of [512, 4096]) {
    // Primary header at LBA 1; the backup at the last LBA when the primary is damaged.
    const lastLba = Math.floor(medium.size / sector) - 1;
    for (const lba of [1, lastLba]) {
      const h = gptHeader(readFull(medium, lba * sector, sector));
      if (!h) continue;
      if (lba !== 1) problems.push('GPT: primary header damaged, using the backup header');
      const table = readFull(medium, h.entriesLba * sector, h.count * h.entrySize);
      if (crc32(table) !== h.entriesCrc) problems.push('GPT: partition entries checksum mismatch; entries read anyway');
      const parts: Partition[] = [];
      for (let i = 0; i < h.count; i++) {
        const e = table.subarray(i * h.entrySize, (i + 1) * h.entrySize);
        if (e.subarray(0, 16).every((x) => x === 0)) continue;
        const first = Number(e.readBigUInt64LE(32));
        const last = Number(e.readBigUInt64LE(40));
        if (!Number.isSafeInteger(first * sector) || last < first) {
          problems.push(`GPT entry ${i + 1}: bad LBA range`);
          continue;
        }
        let name = utf16(e, 56, 36);
        const nul = name.indexOf('\0');
        if (nul >= 0) name = name.slice(0, nul);
        const p: Partition = {
          index: i + 1,
          scheme: 'gpt',
          type: guid(e, 0),
          offset: first * sector,
          size: (last - first + 1) * sector,
        };
        if (name) p.label = name;
        parts.push(p);
      }
      return parts;
    }
  }
  return null;
}

/** Is there a FAT or exFAT boot sector at this offset? */
export function bootSectorAt(medium: ByteReader, offset: number): 'fat' | 'exfat' | null {
  const b = readFull(medium, offset, SECTOR);
  if (looksLikeExfatBoot(b)) return 'exfat';
  if (looksLikeFatBoot(b)) return 'fat';
  return null;
}

/** Logical partitions: the chain of extended boot records inside an extended partition. */
function readLogical(medium: ByteReader, extStart: number, problems: string[]): Partition[] {
  const out: Partition[] = [];
  const seen = new Set<number>();
  let ebr = extStart;
  for (let n = 0; n < 64; n++) {
    if (seen.has(ebr) || ebr * SECTOR >= medium.size) break;
    seen.add(ebr);
    const b = readFull(medium, ebr * SECTOR, SECTOR);
    if (b.readUInt16LE(510) !== 0xaa55) {
      problems.push(`extended partition: bad boot record at sector ${ebr}`);
      break;
    }
    const type = b[446 + 4];
    const start = b.readUInt32LE(446 + 8);
    const count = b.readUInt32LE(446 + 12);
    if (type !== 0 && count > 0) {
      out.push({ index: 5 + out.length, scheme: 'mbr', type: type.toString(16).padStart(2, '0'), offset: (ebr + start) * SECTOR, size: count * SECTOR });
    }
    const next = b.readUInt32LE(462 + 8);
    if (b[462 + 4] === 0 || next === 0) break;
    ebr = extStart + next; // the link is relative to the start of the extended partition
  }
  return out;
}

/** Where filesystems usually start when there is no usable table: common alignments, in sectors. */
const LIKELY_STARTS = [63, 128, 256, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

/**
 * Look for a boot sector (or a FAT32 backup boot sector) at the usual partition starts, for a
 * medium whose partition table is gone or points nowhere useful.
 */
export function findLostVolumes(medium: ByteReader, skip: readonly number[]): Partition[] {
  const out: Partition[] = [];
  for (const s of LIKELY_STARTS) {
    const offset = s * SECTOR;
    if (offset >= medium.size || skip.includes(offset)) continue;
    const here = bootSectorAt(medium, offset);
    const backup = !here && looksLikeFatBoot(readFull(medium, offset + 6 * SECTOR, SECTOR));
    if (here || backup) out.push({ index: 1 + out.length, scheme: 'none', type: 'none', offset, size: medium.size - offset });
  }
  return out;
}

export function readPartitions(medium: ByteReader): PartitionTable {
  const problems: string[] = [];
  const mbr = readFull(medium, 0, SECTOR);
  const whole = (): Partition => ({ index: 1, scheme: 'none', type: 'none', offset: 0, size: medium.size });
  // A boot sector at 0 also ends in 55 AA: check for one before reading it as an MBR.
  if (bootSectorAt(medium, 0)) return { partitions: [whole()], problems };
  if (mbr.readUInt16LE(510) !== 0xaa55) {
    problems.push('no partition table and no FAT/exFAT boot sector at the start of the medium');
    return { partitions: [], problems };
  }
  const parts: Partition[] = [];
  let protective = false;
  for (let i = 0; i < 4; i++) {
    const at = 446 + i * 16;
    const status = mbr[at];
    const type = mbr[at + 4];
    const start = mbr.readUInt32LE(at + 8);
    const count = mbr.readUInt32LE(at + 12);
    if (type === 0 || count === 0) continue;
    if (status !== 0 && status !== 0x80) {
      problems.push(`MBR entry ${i + 1}: bad status byte 0x${status.toString(16)}; ignored`);
      continue;
    }
    if (type === 0xee) {
      protective = true;
      continue;
    }
    if (type === 0x05 || type === 0x0f || type === 0x85) {
      parts.push(...readLogical(medium, start, problems));
      continue;
    }
    const offset = start * SECTOR;
    if (offset >= medium.size) {
      problems.push(`MBR entry ${i + 1}: starts past the end of the medium`);
      continue;
    }
    if (offset + count * SECTOR > medium.size) problems.push(`MBR entry ${i + 1}: runs past the end of the medium (truncated image?)`);
    parts.push({ index: i + 1, scheme: 'mbr', type: type.toString(16).padStart(2, '0'), offset, size: count * SECTOR });
  }
  if (protective) {
    const gpt = readGpt(medium, problems);
    if (gpt) return { partitions: gpt, problems };
    problems.push('protective MBR but no valid GPT header');
  }
  return { partitions: parts, problems };
}
