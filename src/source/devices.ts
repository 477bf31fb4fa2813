// Finding the drives a person can pick: cards and disks, removable ones first.
// Never throws: a machine without lsblk, /sys or df still gets whatever could be learnt.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import nodeDiskInfo from 'node-disk-info';
import type { DriveInfo } from './types.ts';
import { loopBackingFile, parseDevKey, readMounts, readText, sysfsSize } from './sysfs.ts';

type Partition = DriveInfo['partitions'][number];

interface LsblkDevice {
  name?: string;
  path?: string;
  size?: number | string | null;
  rm?: boolean | string | null;
  hotplug?: boolean | string | null;
  model?: string | null;
  type?: string | null;
  fstype?: string | null;
  label?: string | null;
  mountpoint?: string | null;
  tran?: string | null;
  children?: LsblkDevice[];
}

const LSBLK_COLUMNS = 'NAME,PATH,SIZE,RM,MODEL,TYPE,FSTYPE,LABEL,MOUNTPOINT,TRAN,HOTPLUG';

/** lsblk prints flags as true/false (util-linux ≥ 2.33) or "0"/"1" (older). */
function flag(v: boolean | string | null | undefined): boolean {
  return v === true || v === '1' || v === 'true';
}

function num(v: number | string | null | undefined): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Devices nobody would recover photos from, or that hold nothing. */
function skipDevice(name: string, type: string, size: number): boolean {
  if (/^(ram|zram)\d/.test(name)) return true;
  if (size === 0) return true;
  if (type === 'loop' || name.startsWith('loop')) return loopBackingFile(devOfName(name) ?? -1) === undefined;
  return type !== 'disk' && type !== 'loop';
}

function devOfName(name: string): number | undefined {
  const t = readText(`/sys/class/block/${name}/dev`);
  return t ? parseDevKey(t) : undefined;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Mount points of a device and everything on it (partitions, dm-crypt, LVM). */
function collectMounts(d: LsblkDevice, out: string[]): void {
  if (d.mountpoint) out.push(d.mountpoint);
  for (const c of d.children ?? []) collectMounts(c, out);
}

async function fromLsblk(): Promise<DriveInfo[]> {
  const text = await run('lsblk', ['-J', '-b', '-o', LSBLK_COLUMNS]);
  const parsed = JSON.parse(text) as { blockdevices?: LsblkDevice[] };
  const drives: DriveInfo[] = [];
  for (const d of parsed.blockdevices ?? []) {
    const name = d.name ?? '';
    const type = d.type ?? '';
    const size = num(d.size);
    if (!name || skipDevice(name, type, size)) continue;
    const tran = (d.tran ?? '').toLowerCase();
    const partitions: Partition[] = [];
    for (const c of d.children ?? []) {
      if (c.type !== 'part') continue;
      const inner: string[] = [];
      collectMounts(c, inner);
      partitions.push({
        path: c.path ?? `/dev/${c.name ?? ''}`,
        size: num(c.size),
        ...(c.fstype ? { fstype: c.fstype } : {}),
        ...(c.label ? { label: c.label } : {}),
        ...(inner[0] ? { mountpoint: inner[0] } : {}),
      });
    }
    const mountpoints: string[] = [];
    collectMounts(d, mountpoints);
    drives.push({
      path: d.path ?? `/dev/${name}`,
      model: (d.model ?? '').trim() || describe(name, type, tran),
      size,
      removable: flag(d.rm) || flag(d.hotplug) || tran === 'usb' || tran === 'mmc' || name.startsWith('mmcblk'),
      kind: 'disk',
      partitions,
      mountpoints,
    });
  }
  return drives;
}

/** A name for a device without a model string. */
function describe(name: string, type: string, tran: string): string {
  if (type === 'loop' || name.startsWith('loop')) {
    const f = loopBackingFile(devOfName(name) ?? -1);
    return f ? `loop: ${f}` : 'loop device';
  }
  if (name.startsWith('mmcblk')) return 'SD/MMC card';
  if (tran) return `${tran.toUpperCase()} disk`;
  return 'disk';
}

/** The same facts from /sys/block and /proc/self/mountinfo, for machines without lsblk. */
function fromSys(): DriveInfo[] {
  const mounts = readMounts();
  const mountsOf = (dev: number | undefined): string[] =>
    dev === undefined ? [] : mounts.filter((m) => m.dev === dev).map((m) => m.mountPoint);
  const drives: DriveInfo[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/sys/block');
  } catch {
    return [];
  }
  for (const name of names) {
    const dev = devOfName(name);
    const size = dev === undefined ? 0 : (sysfsSize(dev) ?? 0);
    const type = name.startsWith('loop') ? 'loop' : 'disk';
    if (skipDevice(name, type, size)) continue;
    const dir = `/sys/block/${name}`;
    const partitions: Partition[] = [];
    const mountpoints = mountsOf(dev);
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      /* no partitions then */
    }
    for (const e of entries) {
      if (readText(`${dir}/${e}/partition`) === undefined) continue;
      const pdev = parseDevKey(readText(`${dir}/${e}/dev`) ?? '');
      const pm = mountsOf(pdev);
      mountpoints.push(...pm);
      partitions.push({
        path: `/dev/${e}`,
        size: pdev === undefined ? 0 : (sysfsSize(pdev) ?? 0),
        ...(pm[0] ? { mountpoint: pm[0] } : {}),
      });
    }
    const model = (readText(`${dir}/device/model`) ?? '').trim();
    drives.push({
      path: `/dev/${name}`,
      model: model || describe(name, type, ''),
      size,
      removable: readText(`${dir}/removable`)?.trim() === '1' || name.startsWith('mmcblk'),
      kind: 'disk',
      partitions,
      mountpoints,
    });
  }
  return drives;
}

/** Add mount points df knows (node-disk-info) for devices lsblk showed unmounted. */
async function addDfMounts(drives: DriveInfo[]): Promise<void> {
  const volumes = await nodeDiskInfo.getDiskInfo();
  for (const v of volumes) {
    const fsName = v.filesystem;
    const at = v.mounted;
    if (!fsName?.startsWith('/dev/') || !at) continue;
    for (const d of drives) {
      const part = d.partitions.find((p) => p.path === fsName);
      if (d.path !== fsName && !part) continue;
      if (part && !part.mountpoint) part.mountpoint = at;
      if (!d.mountpoints.includes(at)) d.mountpoints.push(at);
    }
  }
}

/** Raw block devices a person could scan, removable first. Never throws. */
export async function listDrives(): Promise<DriveInfo[]> {
  let drives: DriveInfo[] = [];
  try {
    drives = await fromLsblk();
  } catch {
    try {
      drives = fromSys();
    } catch {
      drives = [];
    }
  }
  try {
    await addDfMounts(drives);
  } catch {
    /* df missing or odd: lsblk's mount points stand */
  }
  return drives.sort((a, b) => Number(b.removable) - Number(a.removable) || a.path.localeCompare(b.path));
}
