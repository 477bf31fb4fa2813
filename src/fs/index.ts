// The filesystem layer's entry point: partitions, then a FAT or exFAT volume on each.
import type { ByteReader, Partition } from '../core/types.ts';
import { openExfat } from './exfat.ts';
import { openFat, type Opened } from './fat.ts';
import { bootSectorAt, findLostVolumes, readPartitions } from './partitions.ts';
import type { Volume } from './types.ts';

export type { FsEntry, FsKind, Volume } from './types.ts';
export { readPartitions } from './partitions.ts';

export interface OpenedVolumes {
  partitions: Partition[];
  volumes: Volume[];
  problems: string[];
}

function openOne(medium: ByteReader, p: Partition): Opened | string {
  const kind = bootSectorAt(medium, p.offset);
  if (kind === 'exfat') return openExfat(medium, p);
  // Not a clean boot sector: try the BPB anyway (a FAT with an odd jump byte still parses).
  const fat = openFat(medium, p);
  if (typeof fat !== 'string' || kind === 'fat') return fat;
  const ex = openExfat(medium, p);
  return typeof ex === 'string' ? `no FAT or exFAT filesystem (${fat})` : ex;
}

/**
 * Read the partition table and open every FAT12/16/32 or exFAT volume on the medium.
 * Never throws on a hostile medium: what cannot be read is listed in `problems`.
 *
 * Then, per volume: `entries()` walks the tree once (live, deleted and trash entries, folders
 * included); a deleted entry's bytes most likely start at `firstCluster` (or, when
 * `firstClusterUnlikely`, at `altFirstClusters[0]`), as one run when `contiguous` or when the FAT
 * chain is gone (`chain()` gives null); `isFree()` tells which clusters nobody holds now.
 */
export function openVolumes(medium: ByteReader): OpenedVolumes {
  const { partitions, problems } = readPartitions(medium);
  const volumes: Volume[] = [];
  const tryOpen = (p: Partition): void => {
    let r: Opened | string;
    try {
      r = openOne(medium, p);
    } catch (err) {
      r = `could not be read (${(err as Error).message})`;
    }
    if (typeof r === 'string') {
      problems.push(`partition ${p.index} at offset ${p.offset}: ${r}`);
      return;
    }
    p.fs = r.volume.fs;
    if (!p.label && r.volume.label) p.label = r.volume.label;
    problems.push(...r.problems);
    volumes.push(wrapEntries(r.volume, r.problems, problems));
  };
  for (const p of partitions) tryOpen(p);
  if (!volumes.length) {
    // No table, or one that leads nowhere: look where partitions usually start.
    for (const p of findLostVolumes(medium, partitions.map((x) => x.offset))) {
      const before = volumes.length;
      p.index = partitions.length + 1;
      tryOpen(p);
      if (volumes.length > before) {
        partitions.push(p);
        problems.push(`found a ${p.fs} filesystem at offset ${p.offset} that no partition table lists`);
      }
    }
  }
  return { partitions, volumes, problems };
}

/**
 * The tree is walked lazily on the first entries() call; problems met then (an entry cap) are
 * appended to the same problems array, and an unexpected error becomes a problem, not a crash.
 */
function wrapEntries(v: Volume, volProblems: string[], all: string[]): Volume {
  const inner = v.entries.bind(v);
  let done: ReturnType<Volume['entries']> | null = null;
  v.entries = () => {
    if (done) return done;
    const before = volProblems.length;
    try {
      done = inner();
    } catch (err) {
      all.push(`partition ${v.partition.index}: directory walk failed (${(err as Error).message})`);
      done = [];
    }
    all.push(...volProblems.slice(before));
    return done;
  };
  return v;
}
