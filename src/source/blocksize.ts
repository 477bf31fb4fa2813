// Sizes of block devices and the read size that keeps a sequential scan fast.
import { execFileSync } from 'node:child_process';
import { sysfsSize } from './sysfs.ts';

/**
 * Bytes per sequential read. Measured on these machines (DESIGN.md): a readSync loop with
 * 128 KiB buffers ran near memory speed, 1-16 MiB buffers at a quarter of it (cache misses).
 */
export const SCAN_READ_SIZE = 128 * 1024;

/** The unit bad areas are narrowed down to (the smallest sector any card uses). */
export const SECTOR_SIZE = 512;

/**
 * Size of a block device in bytes. stat() says 0 for devices, so ask sysfs (512-byte units),
 * then `blockdev --getsize64`. Undefined when neither answers.
 */
export function blockDeviceSize(path: string, rdev: number): number | undefined {
  const fromSys = sysfsSize(rdev);
  if (fromSys !== undefined) return fromSys;
  try {
    const out = execFileSync('blockdev', ['--getsize64', path], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const n = Number(out.trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

