// The Drives view's entries: removable cards first, then the demo card, recent images and the
// fixed disks, each with a one-line label and a detail (model, size, partitions, mounts).
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { listPartitions, type listDrives } from '../app/index.ts';
import { formatBytes } from './format.ts';
import type { DriveEntry } from './state/store.ts';

/** What the engine knows of a drive (app/index.ts exports the function, not the type). */
export type DriveInfo = Awaited<ReturnType<typeof listDrives>>[number];

export function diskEntry(d: DriveInfo): DriveEntry {
  const parts = d.partitions
    .map((p) => `${basename(p.path)} ${p.fstype ?? ''}${p.label ? ` "${p.label}"` : ''}${p.mountpoint ? ` mounted at ${p.mountpoint}` : ''}`.trim())
    .join(', ');
  return {
    path: d.path,
    label: `${d.model || (d.removable ? 'Card' : 'Disk')} (${basename(d.path)})`,
    detail: `${d.path} · ${d.model || 'unknown model'} · ${formatBytes(d.size)} · ${d.removable ? 'removable' : 'fixed'}${parts ? ` · ${parts}` : ''}`,
    kind: 'drive',
    size: d.size,
  };
}

/** An image file: its size and what partitions the engine sees in it (a few small reads). */
export function imageEntry(path: string, kind: 'demo' | 'image'): DriveEntry {
  let size: number | undefined;
  try {
    size = statSync(path).size;
  } catch {
    size = undefined;
  }
  let parts = '';
  if (size !== undefined) {
    try {
      parts = listPartitions(path)
        .map((p) => `p${p.index} ${p.fs ?? p.type}${p.label ? ` "${p.label}"` : ''} ${formatBytes(p.size)}`)
        .join(', ');
    } catch {
      parts = ''; // not a disk image we understand: it can still be carved
    }
  }
  const what = kind === 'demo' ? 'Demo card: a small FAT32 card with deleted photos, to try photorescue.' : 'Disk image.';
  const missing = size === undefined ? (kind === 'demo' ? ' Not built yet: run `npm run fixtures`.' : ' (missing)') : '';
  return {
    path,
    label: kind === 'demo' ? 'Demo card' : basename(path),
    detail: `${what}${missing} ${path}${parts ? ` · ${parts}` : ''}`,
    kind,
    size,
  };
}

export function driveEntries(drives: readonly DriveInfo[], demoImage: string, recentImages: readonly string[]): DriveEntry[] {
  const entries: DriveEntry[] = [];
  for (const d of drives) if (d.kind === 'disk' && d.removable) entries.push(diskEntry(d));
  entries.push(imageEntry(demoImage, 'demo'));
  for (const p of recentImages) if (p !== demoImage) entries.push(imageEntry(p, 'image'));
  for (const d of drives) if (d.kind === 'disk' && !d.removable) entries.push(diskEntry(d));
  return entries;
}
