// What the FAT and exFAT volumes share: limits, entry reading, and an opened-volume shape.
import type { ByteReader } from '../core/types.ts';
import type { FsEntry, Volume } from './types.ts';

/** Bounds on the tree walk (hostile images must not make it hang or eat memory). */
export const LIMITS = {
  maxEntries: 1_000_000,
  maxDepth: 64,
  /** FAT allows 65536 entries per directory: 2 MiB. exFAT directories may be up to 256 MiB; we stop at 8 MiB. */
  maxFatDirBytes: 2 * 1024 * 1024,
  maxExfatDirBytes: 8 * 1024 * 1024,
  /** How far into the FAT data area to look for folders nothing leads to (cheap: 64 bytes per cluster). */
  orphanScanBytes: 64 * 1024 * 1024,
};

/**
 * The bytes of an entry's file, at most `max`: along its chain when the FAT still has one,
 * else as one contiguous run from its first cluster (what a deleted file most likely was).
 */
export function readEntryBytes(medium: ByteReader, vol: Volume, e: FsEntry, max: number): Buffer | null {
  const n = Math.min(e.size, max);
  if (n <= 0 || e.firstCluster < 2 || e.firstCluster > vol.clusterCount + 1) return null;
  const need = Math.ceil(n / vol.clusterSize);
  let clusters: number[] | null = null;
  if (!e.contiguous && e.state !== 'deleted') clusters = vol.chain(e.firstCluster, need);
  if (!clusters || clusters.length < need) {
    if (e.firstCluster + need - 1 > vol.clusterCount + 1) return null;
    return medium.read(vol.clusterOffset(e.firstCluster), n);
  }
  const parts: Buffer[] = [];
  let left = n;
  for (const c of clusters) {
    const k = Math.min(left, vol.clusterSize);
    parts.push(medium.read(vol.clusterOffset(c), k));
    left -= k;
  }
  return Buffer.concat(parts);
}

export const joinPath = (folder: string, name: string): string => (folder ? `${folder}/${name}` : name);
