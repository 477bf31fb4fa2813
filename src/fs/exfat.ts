// An exFAT volume: FAT, allocation bitmap, and a bounded walk of the directory tree with live and
// deleted entry sets (file 0x85 / stream 0xC0 / names 0xC1, and 0x05 / 0x40 / 0x41 when deleted).
import { extentReader } from '../core/readers.ts';
import type { ByteReader, Extent, Partition } from '../core/types.ts';
import { RegionCache, readFull, utf16 } from './blockcache.ts';
import { parseExfatBoot, type ExfatGeometry } from './exfatboot.ts';
import type { Opened } from './fat.ts';
import { ClusterSet, followChain, type ClusterMap } from './fattable.ts';
import { exfatDateTime } from './times.ts';
import { applyTrash } from './trash.ts';
import type { FsEntry, Volume } from './types.ts';
import { LIMITS, joinPath, readEntryBytes } from './volume-common.ts';

export interface ExfatSet {
  /** Byte offset of the file entry inside the directory buffer. */
  at: number;
  deleted: boolean;
  name: string;
  isDir: boolean;
  noFatChain: boolean;
  firstCluster: number;
  validDataLength: number;
  dataLength: number;
  created?: string;
  modified?: string;
  accessed?: string;
  checksumOk: boolean;
}

export interface ExfatDir {
  sets: ExfatSet[];
  label?: string;
  bitmap?: { firstCluster: number; length: number };
}

/** The entry-set checksum, with the in-use bits set again so deleted sets can be checked too. */
function setChecksum(buf: Buffer, at: number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count * 32; i++) {
    if (i === 2 || i === 3) continue;
    let b = buf[at + i];
    if (i % 32 === 0) b |= 0x80;
    sum = (((sum & 1) << 15) | (sum >>> 1)) + b;
    sum &= 0xffff;
  }
  return sum;
}

const u64 = (b: Buffer, at: number): number => {
  const v = b.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
};

/** Parse the entries of one exFAT directory buffer. */
export function parseExfatDir(buf: Buffer): ExfatDir {
  const out: ExfatDir = { sets: [] };
  const n = Math.floor(buf.length / 32);
  let i = 0;
  while (i < n) {
    const at = i * 32;
    const t = buf[at];
    if (t === 0x00) break; // end of directory: nothing was ever written past here
    if (t === 0x83) {
      const len = Math.min(buf[at + 1], 11);
      out.label = utf16(buf, at + 2, len);
      i++;
      continue;
    }
    if (t === 0x81 && !(buf[at + 1] & 1) && !out.bitmap) {
      out.bitmap = { firstCluster: buf.readUInt32LE(at + 20), length: u64(buf, at + 24) };
      i++;
      continue;
    }
    if (t !== 0x85 && t !== 0x05) {
      i++;
      continue;
    }
    const inUse = t & 0x80;
    const secondaries = buf[at + 1];
    const s = at + 32;
    if (secondaries < 2 || secondaries > 18 || i + secondaries >= n || buf[s] !== (inUse | 0x40)) {
      i++;
      continue;
    }
    const nameLength = buf[s + 3];
    const nameEntries = Math.ceil(nameLength / 15);
    let ok = nameLength > 0 && nameEntries <= secondaries - 1;
    for (let k = 0; ok && k < nameEntries; k++) if (buf[s + 32 * (k + 1)] !== (inUse | 0x41)) ok = false;
    if (!ok) {
      i++;
      continue;
    }
    let name = '';
    for (let k = 0; k < nameEntries; k++) name += utf16(buf, s + 32 * (k + 1) + 2, Math.min(15, nameLength - k * 15));
    const attrs = buf.readUInt16LE(at + 4);
    const vdl = u64(buf, s + 8);
    const dl = u64(buf, s + 24);
    if (vdl < 0 || dl < 0) {
      i++;
      continue;
    }
    out.sets.push({
      at,
      deleted: !inUse,
      name,
      isDir: (attrs & 0x10) !== 0,
      noFatChain: (buf[s + 1] & 0x02) !== 0,
      firstCluster: buf.readUInt32LE(s + 20),
      validDataLength: vdl,
      dataLength: dl,
      created: exfatDateTime(buf.readUInt32LE(at + 8), buf[at + 20], buf[at + 22]),
      modified: exfatDateTime(buf.readUInt32LE(at + 12), buf[at + 21], buf[at + 23]),
      accessed: exfatDateTime(buf.readUInt32LE(at + 16), 0, buf[at + 24]),
      checksumOk: setChecksum(buf, at, secondaries + 1) === buf.readUInt16LE(at + 2),
    });
    i += secondaries + 1;
  }
  return out;
}

function exfatFat(medium: ByteReader, base: number, g: ExfatGeometry): ClusterMap & { raw: RegionCache } {
  const raw = new RegionCache(medium, base + g.fatOffset, g.fatLength);
  return {
    raw,
    clusterCount: g.clusterCount,
    next: (c) => raw.u32(c * 4),
    isEnd: (v) => v >= 0xfffffff8,
    isFree: (c) => raw.u32(c * 4) === 0,
  };
}

/** Clusters as extents, merging runs. */
function extentsOf(clusters: number[], off: (c: number) => number, size: number): Extent[] {
  const ex: Extent[] = [];
  for (const c of clusters) {
    const o = off(c);
    const last = ex[ex.length - 1];
    if (last && last.offset + last.length === o) last.length += size;
    else ex.push({ offset: o, length: size });
  }
  return ex;
}

export function openExfat(medium: ByteReader, partition: Partition): Opened | string {
  const g = parseExfatBoot(readFull(medium, partition.offset, 512));
  if (typeof g === 'string') return g;
  const base = partition.offset;
  const problems: string[] = [];
  const where = `partition ${partition.index}`;
  if (base + g.volumeLength > medium.size) problems.push(`${where}: the volume runs past the end of the medium (truncated image?)`);
  const fat = exfatFat(medium, base, g);
  const dataOffset = base + g.heapOffset;
  const clusterOffset = (c: number): number => dataOffset + (c - 2) * g.clusterSize;
  const last = g.clusterCount + 1;
  const inRange = (c: number): boolean => c >= 2 && c <= last;
  const maxDirClusters = Math.max(1, Math.floor(LIMITS.maxExfatDirBytes / g.clusterSize));

  // The root directory holds the label and the allocation bitmap that says which clusters are free.
  const rootClusters = followChain(fat, g.rootCluster, maxDirClusters, false) ?? [];
  const rootBuf = Buffer.concat(rootClusters.map((c) => readFull(medium, clusterOffset(c), g.clusterSize)));
  const root = parseExfatDir(rootBuf);
  let isFree = (c: number): boolean => inRange(c) && fat.isFree(c);
  const bm = root.bitmap;
  if (bm && inRange(bm.firstCluster) && bm.length >= Math.ceil(g.clusterCount / 8)) {
    const need = Math.ceil(bm.length / g.clusterSize);
    const chain = followChain(fat, bm.firstCluster, need, true);
    const clusters = chain && chain.length === need ? chain : Array.from({ length: need }, (_, k) => bm.firstCluster + k);
    const bits = new RegionCache(extentReader(medium, extentsOf(clusters, clusterOffset, g.clusterSize)), 0, bm.length);
    isFree = (c) => inRange(c) && !(bits.u8((c - 2) >> 3) & (1 << ((c - 2) & 7)));
  } else {
    problems.push(`${where}: exFAT allocation bitmap not found; free clusters judged by the FAT`);
  }
  const map: ClusterMap = { ...fat, isFree };
  let cached: FsEntry[] | null = null;
  const volume: Volume = {
    partition,
    fs: 'exfat',
    label: root.label ?? '',
    clusterSize: g.clusterSize,
    clusterCount: g.clusterCount,
    dataOffset,
    clusterOffset,
    isFree,
    chain: (first, max) => followChain(fat, first, max, true),
    entries() {
      if (!cached) {
        const walked = walkExfat(medium, g, map, clusterOffset, rootClusters, rootBuf, problems, where);
        cached = applyTrash(walked, (e, max) => readEntryBytes(medium, volume, e, max));
      }
      return cached;
    },
  };
  return { volume, problems };
}

interface Job {
  folder: string;
  depth: number;
  deleted: boolean;
  set: ExfatSet;
  /** Below a folder nothing leads to (found by the orphan scan). */
  orphan?: boolean;
  /** An orphan folder's length is unknown: take clusters while they go on looking like a folder. */
  unknownLength?: boolean;
}

/** Entry types a directory cluster may hold (in use or not). */
const DIR_TYPES = new Set([0x00, 0x05, 0x85, 0x40, 0xc0, 0x41, 0xc1, 0x81, 0x82, 0x83, 0x03, 0xa0, 0xa1, 0xa2, 0x20, 0x21, 0x22, 0xe0, 0xe1]);

function looksLikeExfatDirCluster(buf: Buffer): boolean {
  for (let at = 0; at + 32 <= buf.length; at += 32) if (!DIR_TYPES.has(buf[at])) return false;
  return true;
}

/** Does a cluster begin with a whole file entry set (checksum right)? The mark of a folder's first cluster. */
export function startsWithEntrySet(head: Buffer): boolean {
  const t = head[0];
  if (t !== 0x85 && t !== 0x05) return false;
  const n = head[1];
  if (n < 2 || n > 18 || head.length < (n + 1) * 32 || head[32] !== ((t & 0x80) | 0x40)) return false;
  return setChecksum(head, 0, n + 1) === head.readUInt16LE(2);
}

function walkExfat(
  medium: ByteReader,
  g: ExfatGeometry,
  map: ClusterMap,
  clusterOffset: (c: number) => number,
  rootClusters: number[],
  rootBuf: Buffer,
  problems: string[],
  where: string,
): FsEntry[] {
  const last = g.clusterCount + 1;
  const maxDirClusters = Math.max(1, Math.floor(LIMITS.maxExfatDirBytes / g.clusterSize));
  const visited = new ClusterSet(last + 1);
  const entries: FsEntry[] = [];
  let capped = false;

  /** A directory's clusters: its FAT chain, or one run when NoFatChain or when a deleted chain is gone. */
  const dirClusters = (job: Job): number[] => {
    const s = job.set;
    if (job.unknownLength) {
      const out = [s.firstCluster];
      let prev = readFull(medium, clusterOffset(s.firstCluster), g.clusterSize);
      for (let c = s.firstCluster + 1; c <= last && out.length < maxDirClusters; c++) {
        let ended = false;
        for (let at = 0; at < prev.length && !ended; at += 32) ended = prev[at] === 0;
        if (ended || visited.has(c) || !map.isFree(c)) break;
        const buf = readFull(medium, clusterOffset(c), g.clusterSize);
        if (!looksLikeExfatDirCluster(buf) || buf[0] === 0) break;
        out.push(c);
        prev = buf;
      }
      return out;
    }
    const want = Math.min(maxDirClusters, Math.max(1, Math.ceil(s.dataLength / g.clusterSize)));
    if (s.firstCluster < 2 || s.firstCluster > last) return [];
    let clusters: number[] | null = null;
    if (!s.noFatChain) clusters = followChain(map, s.firstCluster, want, true);
    if (!clusters || clusters.length !== want) {
      if (s.firstCluster + want - 1 > last) return [];
      clusters = Array.from({ length: want }, (_, k) => s.firstCluster + k);
    }
    // A deleted folder's clusters must still be free, or someone else has them now.
    if (job.deleted && !clusters.every((c) => map.isFree(c))) return [];
    return clusters;
  };

  const handle = (buf: Buffer, clusters: number[], from: Omit<Job, 'set'>, jobs: Job[]): void => {
    const { folder, depth, deleted } = from;
    const dir = parseExfatDir(buf);
    for (const s of dir.sets) {
      if (entries.length >= LIMITS.maxEntries) {
        capped = true;
        return;
      }
      const isDeleted = deleted || s.deleted;
      // Deleted sets must at least point inside the volume.
      if (isDeleted && s.firstCluster !== 0 && (s.firstCluster < 2 || s.firstCluster > last)) continue;
      if (isDeleted && s.dataLength > g.clusterCount * g.clusterSize) continue;
      const entry: FsEntry = {
        folder,
        name: s.name,
        nameInferred: false,
        state: isDeleted ? 'deleted' : 'live',
        isDir: s.isDir,
        size: s.isDir ? 0 : s.dataLength,
        firstCluster: s.firstCluster,
        contiguous: s.noFatChain,
        entryOffset: clusterOffset(clusters[Math.floor(s.at / g.clusterSize)]) + (s.at % g.clusterSize),
      };
      if (!s.isDir && s.validDataLength < s.dataLength) entry.validSize = s.validDataLength;
      if (from.orphan) entry.orphan = true;
      if (s.modified) entry.modified = s.modified;
      if (s.created) entry.created = s.created;
      if (s.accessed) entry.accessed = s.accessed;
      entries.push(entry);
      if (s.isDir && depth + 1 <= LIMITS.maxDepth) {
        jobs.push({ folder: joinPath(folder, s.name), depth: depth + 1, deleted: isDeleted, set: s, orphan: from.orphan });
      }
    }
  };

  const jobs: Job[] = [];
  for (const c of rootClusters) visited.add(c);
  handle(rootBuf, rootClusters, { folder: '', depth: 0, deleted: false }, jobs);
  const drain = (): void => {
    while (jobs.length && !capped) {
      const job = jobs.pop()!;
      const clusters: number[] = [];
      for (const c of dirClusters(job)) {
        if (!visited.add(c)) break; // a folder that contains itself or an ancestor
        clusters.push(c);
      }
      if (!clusters.length) continue;
      const buf = Buffer.concat(clusters.map((c) => readFull(medium, clusterOffset(c), g.clusterSize)));
      handle(buf, clusters, job, jobs);
    }
  };
  drain();
  // Folders nothing leads to any more (a quick format, an entry set reused): their first cluster
  // still begins with a whole entry set. Look near the start of the heap, where folders are made.
  const orphans: number[] = [];
  const scanEnd = Math.min(last, 1 + Math.floor(LIMITS.orphanScanBytes / g.clusterSize));
  for (let c = 2; c <= scanEnd && !capped; c++) {
    if (visited.has(c) || !map.isFree(c)) continue;
    if (startsWithEntrySet(readFull(medium, clusterOffset(c), 19 * 32))) orphans.push(c);
  }
  // Tops first: orphans that no other orphan lists as a subfolder.
  const listed = new Set<number>();
  for (const c of orphans) {
    for (const s of parseExfatDir(readFull(medium, clusterOffset(c), g.clusterSize)).sets) if (s.isDir) listed.add(s.firstCluster);
  }
  const order = [...orphans.filter((c) => !listed.has(c)), ...orphans.filter((c) => listed.has(c))];
  for (const c of order) {
    if (visited.has(c) || capped || entries.length >= LIMITS.maxEntries) continue;
    const subdirs = parseExfatDir(readFull(medium, clusterOffset(c), g.clusterSize)).sets.filter((s) => s.isDir).map((s) => s.name);
    // A lost folder holding DCF folders ("100MEDIA") or Camera is most likely the DCIM folder.
    const name = subdirs.some((n) => /^\d{3}[A-Za-z0-9_]{5}$/.test(n) || n === 'Camera') ? 'DCIM' : `$OrphanDir${c}`;
    entries.push({ folder: '', name, nameInferred: true, state: 'deleted', isDir: true, size: 0, firstCluster: c, entryOffset: clusterOffset(c), orphan: true });
    const set: ExfatSet = {
      at: 0,
      deleted: true,
      name,
      isDir: true,
      noFatChain: true,
      firstCluster: c,
      validDataLength: 0,
      dataLength: 0,
      checksumOk: true,
    };
    jobs.push({ folder: name, depth: 1, deleted: true, set, orphan: true, unknownLength: true });
    drain();
  }
  if (capped) problems.push(`${where}: more than ${LIMITS.maxEntries} directory entries; the rest were not read`);
  return entries;
}
