// A FAT12/16/32 volume: geometry from the BPB, a lazily read FAT, and a bounded walk of the
// whole directory tree with live and deleted entries and deleted directories.
import type { ByteReader, Partition } from '../core/types.ts';
import { readFull } from './blockcache.ts';
import { parseFatBoot, type FatGeometry } from './fatboot.ts';
import { parseFatDir, slotLooksValid, type FatDirent } from './fatdir.ts';
import { fatTable, followChain, type ClusterMap } from './fattable.ts';
import { inferFirstChar } from './names.ts';
import { fatDate, fatDateTime } from './times.ts';
import { applyTrash } from './trash.ts';
import type { FsEntry, Volume } from './types.ts';
import { LIMITS, joinPath, readEntryBytes } from './volume-common.ts';

export interface Opened {
  volume: Volume;
  problems: string[];
}

interface DirJob {
  folder: string;
  depth: number;
  /** Inside a deleted directory (or a deleted directory itself). */
  deleted: boolean;
  /** First cluster; 0 = the FAT12/16 fixed root. */
  cluster: number;
  /** Deleted directory whose high cluster word may be zeroed: other first clusters to try. */
  alternatives: number[];
  /** The parent's cluster, as ".." should name it (0 for the root). */
  parent: number;
  /** Below a folder nothing leads to (found by the orphan scan). */
  orphan?: boolean;
}

export function openFat(medium: ByteReader, partition: Partition): Opened | string {
  const problems: string[] = [];
  const where = `partition ${partition.index}`;
  let g = parseFatBoot(readFull(medium, partition.offset, 512));
  if (typeof g === 'string') {
    // FAT32 keeps a copy of its boot sector at sector 6: use it when the first one is damaged.
    const backup = parseFatBoot(readFull(medium, partition.offset + 6 * 512, 512));
    if (typeof backup === 'string' || backup.kind !== 'fat32') return g;
    problems.push(`${where}: boot sector damaged (${g}); using the FAT32 backup boot sector`);
    g = backup;
  }
  const base = partition.offset;
  const volBytes = g.totalSectors * g.bytesPerSector;
  if (volBytes > partition.size && partition.scheme !== 'none') {
    problems.push(`${where}: the ${g.kind.toUpperCase()} volume (${volBytes} bytes) is larger than its partition (${partition.size})`);
  }
  if (base + volBytes > medium.size) problems.push(`${where}: the volume runs past the end of the medium (truncated image?)`);
  const fatBytes = g.fatSectors * g.bytesPerSector;
  const map = fatTable(medium, base + g.fatOffset + g.activeFat * fatBytes, fatBytes, g.kind, g.clusterCount);
  // The other FAT copy, for chains the active one has lost to bad sectors (read as zeros).
  const mirror = g.numFats > 1 && g.mirrored ? fatTable(medium, base + g.fatOffset + (g.activeFat === 0 ? 1 : 0) * fatBytes, fatBytes, g.kind, g.clusterCount) : null;
  const dataOffset = base + g.dataOffset;
  const clusterOffset = (c: number): number => dataOffset + (c - 2) * g.clusterSize;
  const label = rootLabel(medium, g, map, base, clusterOffset) || g.bpbLabel;
  let cached: FsEntry[] | null = null;
  const volume: Volume = {
    partition,
    fs: g.kind,
    label,
    clusterSize: g.clusterSize,
    clusterCount: g.clusterCount,
    dataOffset,
    clusterOffset,
    isFree: (c) => map.isFree(c),
    chain: (first, max) => followChain(map, first, max, true) ?? (mirror ? followChain(mirror, first, max, true) : null),
    entries() {
      if (!cached) {
        const walked = walkFat(medium, g, map, base, clusterOffset, problems, where);
        cached = applyTrash(walked, (e, max) => readEntryBytes(medium, volume, e, max));
      }
      return cached;
    },
  };
  return { volume, problems };
}

/** Plausible first clusters of a deleted FAT32 entry whose high word Windows zeroed. */
function highWordCandidates(lo: number, map: ClusterMap, refs: number[]): number[] {
  const last = map.clusterCount + 1;
  const cands: number[] = [];
  for (let h = 1; (h << 16) + lo <= last && h < 0x1000; h++) cands.push((h << 16) + lo);
  const dist = (c: number): number => (refs.length ? Math.min(...refs.map((r) => Math.abs(r - c))) : c);
  cands.sort((a, b) => dist(a) - dist(b));
  const out: number[] = [];
  for (const c of cands) {
    if (map.isFree(c)) out.push(c);
    if (out.length >= 32) break;
  }
  return out;
}

/** The volume label entry of the root directory (it wins over the BPB copy, which may be stale). */
function rootLabel(medium: ByteReader, g: FatGeometry, map: ClusterMap, base: number, clusterOffset: (c: number) => number): string {
  const buf =
    g.kind === 'fat32'
      ? Buffer.concat((followChain(map, g.rootCluster, 64, false) ?? []).map((c) => readFull(medium, clusterOffset(c), g.clusterSize)))
      : readFull(medium, base + g.rootDirOffset, g.rootEntries * 32);
  for (const rec of parseFatDir(buf, false)) {
    if (rec.isLabel && !rec.isDir && !rec.deleted && !rec.afterEnd) return rec.raw11.replace(/[ \0]+$/, '');
  }
  return '';
}

function walkFat(
  medium: ByteReader,
  g: FatGeometry,
  map: ClusterMap,
  base: number,
  clusterOffset: (c: number) => number,
  problems: string[],
  where: string,
): FsEntry[] {
  const fat32 = g.kind === 'fat32';
  const last = g.clusterCount + 1;
  const inRange = (c: number): boolean => c >= 2 && c <= last;
  const maxDirClusters = Math.max(1, Math.floor(LIMITS.maxFatDirBytes / g.clusterSize));
  const visited = new Set<number>();
  const entries: FsEntry[] = [];
  let capped = false;
  const jobs: DirJob[] = [
    { folder: '', depth: 0, deleted: false, cluster: fat32 ? g.rootCluster : 0, alternatives: [], parent: 0 },
  ];

  /** A deleted directory's first cluster: "." must name the cluster itself, ".." the parent. */
  const dotsMatch = (buf: Buffer, c: number, parent: number): boolean => {
    const d = parseFatDir(buf.subarray(0, 64), fat32);
    if (d.length < 2 || !d[0].isDot || !d[1].isDot || !d[0].isDir) return false;
    const self = d[0].clusterLo + d[0].clusterHi * 0x10000;
    const up = d[1].clusterLo + d[1].clusterHi * 0x10000;
    // ".." of a folder in the root holds 0 (or the root cluster on some FAT32 writers).
    const rootParent = parent === 0 || (fat32 && parent === g.rootCluster);
    return self === c && (up === parent || (rootParent && up === 0));
  };

  /** The directory's bytes and where each slot lies on the medium. */
  const readDir = (job: DirJob): { buf: Buffer; offsets: number[]; self: number } | null => {
    if (job.cluster === 0) {
      const len = g.rootEntries * 32;
      const buf = readFull(medium, base + g.rootDirOffset, len);
      return { buf, offsets: [base + g.rootDirOffset], self: 0 };
    }
    let clusters: number[];
    if (!job.deleted) {
      clusters = followChain(map, job.cluster, maxDirClusters, false) ?? [];
    } else {
      // A deleted directory's chain is gone: its first cluster must still be free and begin with
      // matching "." and ".." entries; then take the following free clusters while they look like
      // directory slots and the previous one was full (no end marker).
      const starts = [job.cluster, ...job.alternatives].filter(inRange);
      const first = starts.find((c) => !visited.has(c) && map.isFree(c) && dotsMatch(readFull(medium, clusterOffset(c), 64), c, job.parent));
      if (first === undefined) return null;
      clusters = [first];
      let prev = readFull(medium, clusterOffset(first), g.clusterSize);
      for (let c = first + 1; c <= last && clusters.length < maxDirClusters; c++) {
        if (hasEndMarker(prev)) break;
        if (visited.has(c) || !map.isFree(c)) break;
        const buf = readFull(medium, clusterOffset(c), g.clusterSize);
        if (!looksLikeDirCluster(buf)) break;
        clusters.push(c);
        prev = buf;
      }
    }
    const fresh: number[] = [];
    for (const c of clusters) {
      if (visited.has(c)) break; // a directory that contains itself or an ancestor
      visited.add(c);
      fresh.push(c);
    }
    if (!fresh.length) return null;
    const buf = Buffer.concat(fresh.map((c) => readFull(medium, clusterOffset(c), g.clusterSize)));
    return { buf, offsets: fresh.map(clusterOffset), self: fresh[0] };
  };

  const drain = (): void => {
    while (jobs.length) {
      const job = jobs.pop()!;
      const dir = readDir(job);
      if (!dir) continue;
      const slotOffset = (at: number): number =>
        job.cluster === 0 ? dir.offsets[0] + at : dir.offsets[Math.floor(at / g.clusterSize)] + (at % g.clusterSize);
      const recs = parseFatDir(dir.buf, fat32);
      const here: { rec: FatDirent; entry: FsEntry }[] = [];
      for (const rec of recs) {
        if (rec.isDot) continue;
        const deleted = rec.deleted || job.deleted;
        if (rec.isLabel && !rec.isDir) continue;
        // Live entries of a live folder are taken as they are; anything else must look sane.
        if ((deleted || rec.afterEnd) && !rec.plausible) continue;
        if (rec.afterEnd && !rec.deleted && !job.deleted) continue;
        const firstCluster = rec.clusterLo + rec.clusterHi * 0x10000;
        if (deleted && firstCluster !== 0 && !inRange(firstCluster)) continue;
        if (deleted && rec.size > g.clusterCount * g.clusterSize) continue;
        const name = rec.longName ?? (rec.shortFirst ? rec.shortFirst + rec.shortRest : '');
        const entry: FsEntry = {
          folder: job.folder,
          name,
          nameInferred: false,
          state: deleted ? 'deleted' : 'live',
          isDir: rec.isDir,
          size: rec.isDir ? 0 : rec.size,
          firstCluster,
          modified: fatDateTime(rec.wrtDate, rec.wrtTime),
          created: fatDateTime(rec.crtDate, rec.crtTime, rec.crtTenth),
          accessed: fatDate(rec.accDate),
          entryOffset: slotOffset(rec.at),
        };
        if (job.orphan) entry.orphan = true;
        here.push({ rec, entry });
      }
      // Lost first characters, guessed from the complete names in the same folder.
      const known = here.filter((h) => h.entry.name).flatMap((h) => [h.entry.name, h.rec.shortFirst + h.rec.shortRest]);
      for (const h of here) {
        if (h.entry.name) continue;
        const guess = inferFirstChar(h.rec.shortRest, known);
        h.entry.name = guess.name;
        h.entry.nameInferred = guess.inferred;
      }
      // Windows zeroes the high word of a deleted FAT32 entry's first cluster.
      if (fat32 && g.clusterCount > 0xffff) {
        here.forEach((h, i) => {
          if (h.entry.state !== 'deleted' || h.rec.clusterHi !== 0 || h.rec.clusterLo < 2) return;
          const refs: number[] = dir.self ? [dir.self] : [];
          for (const dirn of [-1, 1]) {
            for (let j = i + dirn; j >= 0 && j < here.length; j += dirn) {
              const o = here[j];
              if (o.entry.firstCluster >= 2 && (o.entry.state === 'live' || o.rec.clusterHi !== 0)) {
                refs.push(o.entry.firstCluster);
                break;
              }
            }
          }
          const alts = highWordCandidates(h.rec.clusterLo, map, refs);
          if (!alts.length) return;
          h.entry.altFirstClusters = alts;
          // The entry's own cluster is the less likely start when something else holds it now, or
          // when the best alternative lies nearer the neighbouring entries' clusters.
          const dist = (c: number): number => (refs.length ? Math.min(...refs.map((r) => Math.abs(r - c))) : c);
          if (!map.isFree(h.rec.clusterLo) || (refs.length && dist(alts[0]) < dist(h.rec.clusterLo))) h.entry.firstClusterUnlikely = true;
        });
      }
      for (const h of here) {
        if (entries.length >= LIMITS.maxEntries) {
          capped = true;
          break;
        }
        entries.push(h.entry);
        const e = h.entry;
        if (!e.isDir || job.depth + 1 > LIMITS.maxDepth) continue;
        if (e.firstCluster === 0 && !e.altFirstClusters) continue;
        jobs.push({
          folder: joinPath(job.folder, e.name),
          depth: job.depth + 1,
          deleted: e.state === 'deleted',
          cluster: e.firstCluster,
          alternatives: e.altFirstClusters ?? [],
          parent: dir.self,
          orphan: job.orphan,
        });
      }
      if (capped) break;
    }
  };
  drain();
  // Folders nothing leads to any more (a quick format, a root entry reused): their clusters still
  // begin with "." naming themselves. Look for them where folders are made first, at the start
  // of the data area, and walk them as deleted folders under a made-up name.
  if (!capped) {
    const orphans = new Map<number, number>(); // cluster -> its ".." cluster
    const scanEnd = Math.min(last, 1 + Math.floor(LIMITS.orphanScanBytes / g.clusterSize));
    for (let c = 2; c <= scanEnd; c++) {
      if (visited.has(c) || !map.isFree(c)) continue;
      const head = readFull(medium, clusterOffset(c), 64);
      if (head[0] !== 0x2e || head[32] !== 0x2e) continue;
      const d = parseFatDir(head, fat32);
      if (d.length === 2 && d[0].isDot && d[1].isDot && d[0].isDir && d[0].clusterLo + d[0].clusterHi * 0x10000 === c) {
        orphans.set(c, d[1].clusterLo + d[1].clusterHi * 0x10000);
      }
    }
    /**
     * An orphan's own name is lost with its parent. A folder of the root holding DCF folders
     * ("100CANON", "101MEDIA") is the camera's DCIM; anything else gets a made-up name.
     */
    const orphanName = (c: number, up: number): string => {
      if (up === 0 || up === g.rootCluster) {
        const recs = parseFatDir(readFull(medium, clusterOffset(c), g.clusterSize), fat32);
        if (recs.some((r) => r.isDir && !r.isDot && /^\d{3}[A-Z0-9_]{5}$/.test(r.shortFirst + r.shortRest))) return 'DCIM';
      }
      return `$OrphanDir${c}`;
    };
    // Tops first (their parent is not an orphan), so the ones below get their real names.
    const order = [...orphans.keys()].sort((a, b) => Number(orphans.has(orphans.get(a)!)) - Number(orphans.has(orphans.get(b)!)) || a - b);
    for (const c of order) {
      if (visited.has(c) || capped || entries.length >= LIMITS.maxEntries) continue;
      const up = orphans.get(c)!;
      const name = orphanName(c, up);
      entries.push({
        folder: '',
        name,
        nameInferred: true,
        state: 'deleted',
        isDir: true,
        size: 0,
        firstCluster: c,
        entryOffset: clusterOffset(c),
        orphan: true,
      });
      jobs.push({ folder: name, depth: 1, deleted: true, cluster: c, alternatives: [], parent: up, orphan: true });
      drain();
    }
  }
  if (capped) problems.push(`${where}: more than ${LIMITS.maxEntries} directory entries; the rest were not read`);
  return entries;
}

/** Has this directory cluster an end-of-directory slot (first byte 0)? */
function hasEndMarker(buf: Buffer): boolean {
  for (let at = 0; at + 32 <= buf.length; at += 32) if (buf[at] === 0) return true;
  return false;
}

/** Every slot is a valid entry or empty, and at least one is an entry. */
function looksLikeDirCluster(buf: Buffer): boolean {
  let used = 0;
  for (let at = 0; at + 32 <= buf.length; at += 32) {
    const e = buf.subarray(at, at + 32);
    if (!slotLooksValid(e)) return false;
    if (e[0] !== 0) used++;
    else if (e.some((b) => b !== 0)) return false;
  }
  return used > 0;
}
