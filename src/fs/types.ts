// What the filesystem layer hands to the rest: volumes and the entries they still know.
import type { Partition } from '../core/types.ts';

export type FsKind = 'fat12' | 'fat16' | 'fat32' | 'exfat';

export interface FsEntry {
  /** Folder on the card, '/'-separated, no leading slash, '' for the root. Raw (unsanitised). */
  folder: string;
  /** Name as recovered (long name when one survives). Raw (unsanitised). */
  name: string;
  /** True when any part of the name was guessed (lost 8.3 first byte). */
  nameInferred: boolean;
  /** live: an allocated entry; deleted: 0xE5 / in-use bit cleared; trash: live in a trash folder. */
  state: 'live' | 'deleted' | 'trash';
  isDir: boolean;
  size: number;
  /** First cluster as the entry holds it (0 for empty files). */
  firstCluster: number;
  /**
   * When the entry's high 16 bits of the start cluster may have been zeroed (FAT32 deletes by
   * Windows), the other possible first clusters, most likely first. The assembler tries each.
   */
  altFirstClusters?: number[];
  /**
   * True when `firstCluster` itself is less likely than `altFirstClusters[0]` (another file holds
   * it now, or the alternative lies nearer the neighbouring entries): try the alternatives first.
   */
  firstClusterUnlikely?: boolean;
  /**
   * Found below a folder nothing leads to any more (a quick format, a reused root entry): the
   * app may report such files as 'formatted'. Their state is 'deleted'.
   */
  orphan?: boolean;
  /** exFAT NoFatChain: the file is one contiguous run of clusters. */
  contiguous?: boolean;
  /** ISO 8601 (with offset when known). */
  modified?: string;
  created?: string;
  accessed?: string;
  /** Trash only: where the file was before it was trashed, when the trash records it. */
  trashOriginalPath?: string;
  /** Trash only: when it was trashed, when the trash records it (ISO; $I records are UTC). */
  trashedAt?: string;
  /** exFAT: the valid data length when it is below `size` (bytes past it read as zeros). */
  validSize?: number;
  /** Medium offset of the directory entry (for reports and debugging). */
  entryOffset: number;
}

export interface Volume {
  partition: Partition;
  fs: FsKind;
  /** Volume label, or '' when none. */
  label: string;
  clusterSize: number;
  /** Number of data clusters; valid cluster numbers are 2 .. clusterCount+1. */
  clusterCount: number;
  /** Medium offset of cluster 2. */
  dataOffset: number;
  /** Medium offset of a cluster. */
  clusterOffset(cluster: number): number;
  /** Is the cluster free now (FAT entry 0, or exFAT bitmap bit clear)? */
  isFree(cluster: number): boolean;
  /**
   * The FAT chain from `first`, at most `maxClusters` long; null when the chain is broken
   * (a free or bad entry, a loop, out of range). Deleted FAT12/16/32 files have no chain.
   */
  chain(first: number, maxClusters: number): number[] | null;
  /** Every entry of the tree: live, deleted and trash, directories included. Bounded and loop-safe. */
  entries(): FsEntry[];
}
