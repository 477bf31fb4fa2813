import type { ByteReader, UnreadableRange } from '../core/types.ts';

/** A read-only medium: a disk image or a block device. Never written, never mounted. */
export interface Source extends ByteReader {
  readonly path: string;
  readonly kind: 'file' | 'block';
  /** Device id (st_rdev for block devices, st_dev for files) and inode, to refuse OUT on it. */
  readonly device: { dev: number; rdev: number; ino: number };
  /** Unreadable ranges met so far (zero-filled in what `read` returned). */
  readonly unreadable: UnreadableRange[];
  /** Called once for each new unreadable range. */
  onUnreadable?: (range: UnreadableRange) => void;
  /**
   * Fill `buf` from `position` (the scanner's hot loop: no allocation). Returns bytes filled
   * (short only at the end of the medium); bad sectors are zero-filled and recorded like `read`.
   */
  readInto(buf: Buffer, position: number): number;
  close(): void;
}

export interface DriveInfo {
  /** /dev/sdb, /dev/mmcblk0, or an image path. */
  path: string;
  model: string;
  size: number;
  removable: boolean;
  kind: 'disk' | 'image';
  partitions: { path: string; size: number; fstype?: string; label?: string; mountpoint?: string }[];
  /** Mounted volumes on it (from node-disk-info / lsblk). */
  mountpoints: string[];
}
