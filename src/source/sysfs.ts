// Small, failure-tolerant readers of Linux's /sys and /proc views of block devices and mounts.
// Every function here returns undefined/empty on any error: callers decide what a missing fact means.
import fs from 'node:fs';

/** Split a Linux dev_t (as Node's stat gives it) into major and minor, as glibc's major()/minor() do. */
export function devMajor(dev: number): number {
  const d = BigInt(dev);
  return Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
}
export function devMinor(dev: number): number {
  const d = BigInt(dev);
  return Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
}
/** Build a dev_t from major and minor (inverse of the two above). */
export function makeDev(major: number, minor: number): number {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return Number(((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n));
}
/** "8:17" for a dev_t. */
export function devKey(dev: number): string {
  return `${devMajor(dev)}:${devMinor(dev)}`;
}
/** Parse "8:17" into a dev_t. */
export function parseDevKey(key: string): number | undefined {
  const m = /^(\d+):(\d+)$/.exec(key.trim());
  return m ? makeDev(Number(m[1]), Number(m[2])) : undefined;
}

export function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The sysfs folder of a block device: /sys/dev/block/M:m (a symlink into /sys/devices/…). */
export function sysBlockDir(dev: number): string {
  return `/sys/dev/block/${devKey(dev)}`;
}

/** Size in bytes from sysfs (the `size` attribute counts 512-byte units whatever the sector size). */
export function sysfsSize(dev: number): number | undefined {
  const t = readText(`${sysBlockDir(dev)}/size`);
  if (t === undefined) return undefined;
  const sectors = Number(t.trim());
  return Number.isSafeInteger(sectors) && sectors >= 0 ? sectors * 512 : undefined;
}

/** The kernel name (sdb1, loop0, mmcblk0p1) of a block device, from its uevent. */
export function sysDevName(dev: number): string | undefined {
  const t = readText(`${sysBlockDir(dev)}/uevent`);
  const m = t ? /^DEVNAME=(.+)$/m.exec(t) : null;
  return m ? m[1].trim() : undefined;
}

/** /dev/<name> for a block device, or "M:m" when the name is unknown. */
export function devDisplayName(dev: number): string {
  const n = sysDevName(dev);
  return n ? `/dev/${n}` : `block device ${devKey(dev)}`;
}

/** For a partition, the dev_t of its whole disk; undefined for a whole disk. */
export function parentDisk(dev: number): number | undefined {
  const dir = sysBlockDir(dev);
  if (readText(`${dir}/partition`) === undefined) return undefined;
  const t = readText(`${dir}/../dev`);
  return t ? parseDevKey(t) : undefined;
}

/** dev_t of each device listed in a sysfs relation folder (slaves or holders). */
function relatedDevs(dev: number, rel: 'slaves' | 'holders'): number[] {
  const dir = `${sysBlockDir(dev)}/${rel}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const n of names) {
    const t = readText(`${dir}/${n}/dev`);
    const d = t ? parseDevKey(t) : undefined;
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** Devices this one is built on (device-mapper, md). */
export function slaveDevs(dev: number): number[] {
  return relatedDevs(dev, 'slaves');
}

/** Devices built on this one (dm-crypt, LVM, md). */
export function holderDevs(dev: number): number[] {
  return relatedDevs(dev, 'holders');
}

/** Partitions of a whole disk (sysfs subfolders that carry a `partition` attribute). */
export function partitionDevs(dev: number): number[] {
  const dir = sysBlockDir(dev);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const n of names) {
    if (readText(`${dir}/${n}/partition`) === undefined) continue;
    const t = readText(`${dir}/${n}/dev`);
    const d = t ? parseDevKey(t) : undefined;
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** The file a loop device reads from, if it is a loop device with one attached. */
export function loopBackingFile(dev: number): string | undefined {
  const t = readText(`${sysBlockDir(dev)}/loop/backing_file`);
  if (t === undefined) return undefined;
  const p = t.replace(/\n$/, '');
  return p.length > 0 ? p : undefined;
}

export interface MountEntry {
  /** st_dev of files on this mount. */
  dev: number;
  /** Mount point, with /proc's octal escapes decoded. */
  mountPoint: string;
  fsType: string;
  /** What was mounted: /dev/sdb1, /dev/loop0, a FUSE program name, "tmpfs"… */
  source: string;
}

/** /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** All mounts this process can see. */
export function readMounts(): MountEntry[] {
  const t = readText('/proc/self/mountinfo');
  if (!t) return [];
  const out: MountEntry[] = [];
  for (const line of t.split('\n')) {
    if (!line) continue;
    const [pre, post] = line.split(' - ');
    if (!post) continue;
    const f = pre.split(' ');
    const g = post.split(' ');
    const dev = f[2] ? parseDevKey(f[2]) : undefined;
    if (dev === undefined || f[4] === undefined) continue;
    out.push({ dev, mountPoint: unescapeMount(f[4]), fsType: g[0] ?? '', source: unescapeMount(g[1] ?? '') });
  }
  return out;
}

/**
 * The mount that holds `realPath` (an existing, symlink-free path whose st_dev is `dev`):
 * the longest mount point that is a prefix of the path, preferring mounts with the same st_dev.
 */
export function findMount(realPath: string, dev: number, mounts = readMounts()): MountEntry | undefined {
  const within = (mp: string): boolean =>
    mp === '/' || realPath === mp || realPath.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
  let best: MountEntry | undefined;
  for (const m of mounts) {
    if (!within(m.mountPoint)) continue;
    const better =
      !best ||
      (m.dev === dev && best.dev !== dev) ||
      ((m.dev === dev) === (best.dev === dev) && m.mountPoint.length >= best.mountPoint.length);
    if (better) best = m;
  }
  return best;
}
