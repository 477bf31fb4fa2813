// Refusing an output folder that lives on the medium being scanned: every file written there
// could overwrite the very deleted data we are trying to get back.
import fs from 'node:fs';
import nodePath from 'node:path';
import { UserError } from '../core/errors.ts';
import type { Source } from './types.ts';
import {
  devDisplayName,
  findMount,
  loopBackingFile,
  parentDisk,
  slaveDevs,
  sysBlockDir,
} from './sysfs.ts';

/** Everything a folder's bytes end up stored on: block devices (dev_t) and files (dev:ino). */
interface Storage {
  devs: Set<number>;
  files: Set<string>;
}

const fileKey = (dev: number, ino: number): string => `${dev}:${ino}`;

/** True for a dev_t the kernel knows as a real block device (not an anonymous tmpfs/FUSE id). */
function isBlockDev(dev: number): boolean {
  return fs.existsSync(sysBlockDir(dev));
}

/** The nearest existing folder at or above `p` (OUT may not exist yet), symlinks resolved. */
function nearestExisting(p: string): { path: string; st: fs.Stats } {
  let cur = nodePath.resolve(p);
  for (;;) {
    try {
      const real = fs.realpathSync(cur);
      return { path: real, st: fs.statSync(real) };
    } catch {
      const up = nodePath.dirname(cur);
      if (up === cur) throw new UserError('output', `Output folder ${p}: no part of its path exists`);
      cur = up;
    }
  }
}

/**
 * Add a device and everything under it: its whole disk (a sibling partition is still the same
 * card), the devices a dm/md device is built on, and a loop device's backing file. With
 * `followFiles`, the disk holding a backing file counts too (an image stored on the card).
 */
function addDevice(store: Storage, dev: number, followFiles: boolean, depth = 0): void {
  if (depth > 16 || store.devs.has(dev) || !isBlockDev(dev)) return;
  store.devs.add(dev);
  const parent = parentDisk(dev);
  if (parent !== undefined) addDevice(store, parent, followFiles, depth + 1);
  for (const s of slaveDevs(dev)) addDevice(store, s, followFiles, depth + 1);
  const backing = loopBackingFile(dev);
  if (backing !== undefined) addFile(store, backing, followFiles, depth + 1);
}

function addFile(store: Storage, path: string, followFiles: boolean, depth: number): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch {
    return; // a deleted backing file ("… (deleted)") cannot be the source we opened by path
  }
  if (st.isBlockDevice()) return addDevice(store, st.rdev, followFiles, depth);
  store.files.add(fileKey(st.dev, st.ino));
  if (followFiles) addDevice(store, st.dev, followFiles, depth);
}

/** The device OUT's filesystem reads from, by its /dev name: "/dev/sdb1", "/dev/loop0". */
function describeOutDevice(mountSource: string | undefined, dev: number): string | undefined {
  if (mountSource?.startsWith('/')) {
    try {
      const st = fs.statSync(mountSource);
      if (st.isBlockDevice()) return devDisplayName(st.rdev);
    } catch {
      /* fall through */
    }
  }
  if (isBlockDev(dev)) return devDisplayName(dev);
  return mountSource;
}

/** What the source's bytes are: the device (and its whole disk), or the image file. */
function sourceStorage(source: Source): Storage {
  const store: Storage = { devs: new Set(), files: new Set() };
  if (source.kind === 'block') addDevice(store, source.device.rdev, false);
  else store.files.add(fileKey(source.device.dev, source.device.ino));
  return store;
}

/**
 * Throw UserError (kind 'output') when `outDir` is on the medium `source` reads: on the device
 * or one of its partitions, on a loop device or FUSE mount backed by it, or on an image mounted
 * from it. `outDir` need not exist yet; its nearest existing parent decides.
 */
export function assertOutputNotOnSource(source: Source, outDir: string): void {
  const { path: real, st } = nearestExisting(outDir);
  if (st.isFile() && source.kind === 'file' && st.dev === source.device.dev && st.ino === source.device.ino) {
    throw new UserError('output', `Output folder ${outDir} is the image being scanned; choose a folder on another disk`);
  }
  const mount = findMount(real, st.dev);
  const out: Storage = { devs: new Set(), files: new Set() };
  addDevice(out, st.dev, true);
  // FUSE filesystems (exfat-fuse, fuse2fs) have an anonymous st_dev: what they read from is
  // the mount source in mountinfo, a device or an image file.
  if (mount && mount.source.startsWith('/')) addFile(out, mount.source, true, 0);

  const src = sourceStorage(source);
  const hit = [...src.devs].some((d) => out.devs.has(d)) || [...src.files].some((f) => out.files.has(f));
  if (!hit) return;

  const via = describeOutDevice(mount?.source, st.dev);
  const where = via ? ` (${via})` : '';
  if (source.kind === 'block') {
    throw new UserError(
      'output',
      `Output folder ${outDir} is on the card being scanned${where}; choose a folder on another disk`,
    );
  }
  throw new UserError(
    'output',
    `Output folder ${outDir} is inside the image being scanned (${source.path} is mounted${where ? ` from ${via}` : ''} at ${mount?.mountPoint ?? real}); choose a folder outside that mount`,
  );
}

