// Trash folders: files moved there are still on the card under another name. We give them back
// their original names (and paths when the trash records them) and mark them 'trash':
//   Windows  $RECYCLE.BIN/<SID>/$R<id>.<ext> with its record $I<id>.<ext> (version 1 and 2)
//   freedesktop (Linux)  .Trash-<uid>/files/<name> with .Trash-<uid>/info/<name>.trashinfo (Path=)
//   macOS  .Trashes/<uid>/<name>
//   Android 11+  .trashed-<expiry>-<name>
import { utf16 } from './blockcache.ts';
import { fileTime } from './times.ts';
import type { FsEntry } from './types.ts';

export type ReadEntry = (e: FsEntry, max: number) => Buffer | null;

interface Origin {
  path: string;
  at?: string;
}

/** A $I record: version, size, deletion FILETIME, original path (UTF-16). */
export function parseRecycleRecord(b: Buffer): Origin | null {
  if (b.length < 28) return null;
  const version = b.readUInt32LE(0);
  if (b.readUInt32LE(4) !== 0 || (version !== 1 && version !== 2)) return null;
  const at = fileTime(b.readUInt32LE(16), b.readUInt32LE(20));
  let start = 24;
  let units = 260;
  if (version === 2) {
    units = b.readUInt32LE(24);
    start = 28;
    if (units < 1 || units > 32768) return null;
  }
  let path = utf16(b, start, Math.min(units, Math.floor((b.length - start) / 2)));
  const nul = path.indexOf('\0');
  if (nul >= 0) path = path.slice(0, nul);
  if (!path) return null;
  return { path, at };
}

/** The Path= and DeletionDate= of a .trashinfo file. */
export function parseTrashInfo(text: string): Origin | null {
  if (!/^\s*\[Trash Info\]/.test(text)) return null;
  const path = /^Path=(.*)$/m.exec(text)?.[1]?.trim();
  if (!path) return null;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed %-escape: keep the raw text.
  }
  const at = /^DeletionDate=(\S+)/m.exec(text)?.[1];
  return { path: decoded, at };
}

const baseName = (p: string): string => p.split(/[\\/]/).filter(Boolean).pop() ?? p;

const RECYCLE_SID = /^(?:.*\/)?\$RECYCLE\.BIN\/[^/]+$/i;
const FREEDESKTOP = /^((?:.*\/)?\.Trash(?:-\d+|\/\d+))\/(files|info)(?:\/(.*))?$/;
const MAC = /(?:^|\/)\.Trashes\/[^/]+(?:\/|$)/; // .Trashes/<uid>/… (the uid folder itself is not trash)
const ANDROID = /^\.trashed-\d+-(.+)$/;

/** Recycle-bin names, possibly with a lost (inferred) first character. */
function recycleKey(e: FsEntry, letter: 'I' | 'R'): string | null {
  const n = e.name;
  if (n.length < 3 || n[1].toUpperCase() !== letter) return null;
  if (n[0] !== '$' && !e.nameInferred) return null;
  return n.slice(2).toUpperCase();
}

export function applyTrash(entries: FsEntry[], read: ReadEntry): FsEntry[] {
  const toTrash = (e: FsEntry): void => {
    if (e.state === 'live') e.state = 'trash';
  };
  // Records first: $I files and .trashinfo files, keyed by their folder and name.
  const records = new Map<string, Origin>();
  for (const e of entries) {
    if (e.isDir || e.size <= 0 || e.size > 70000) continue;
    if (RECYCLE_SID.test(e.folder)) {
      const key = recycleKey(e, 'I');
      if (!key) continue;
      if (e.nameInferred) e.name = '$' + e.name.slice(1); // a deleted record's lost '$'
      const rec = read(e, 70000);
      const o = rec && parseRecycleRecord(rec);
      // A live record wins over a deleted one for the same id.
      if (o && (!records.has(`${e.folder}|${key}`) || e.state === 'live')) records.set(`${e.folder}|${key}`, o);
    } else {
      const m = FREEDESKTOP.exec(e.folder);
      if (!m || m[2] !== 'info' || m[3] || !e.name.endsWith('.trashinfo')) continue;
      const text = read(e, 70000)?.toString('utf8');
      const o = text ? parseTrashInfo(text) : null;
      if (o) records.set(`${m[1]}|${e.name.slice(0, -'.trashinfo'.length)}`, o);
    }
  }
  // Then the trashed files and the folders under trashed folders.
  const trashedDirs = new Map<string, string>(); // folder path in the trash -> original path
  for (const e of entries) {
    if (RECYCLE_SID.test(e.folder)) {
      const key = recycleKey(e, 'R');
      if (!key) continue;
      const o = records.get(`${e.folder}|${key}`);
      if (o) {
        const here = `${e.folder}/${e.name}`;
        e.name = baseName(o.path);
        e.nameInferred = false;
        e.trashOriginalPath = o.path;
        if (o.at) e.trashedAt = o.at;
        if (e.isDir) trashedDirs.set(here, o.path);
      } else if (e.nameInferred) {
        e.name = '$' + e.name.slice(1);
      }
      toTrash(e);
      continue;
    }
    const fd = FREEDESKTOP.exec(e.folder);
    if (fd && fd[2] === 'files' && !fd[3]) {
      const o = records.get(`${fd[1]}|${e.name}`);
      const here = `${e.folder}/${e.name}`;
      if (o) {
        e.name = baseName(o.path);
        e.nameInferred = false;
        e.trashOriginalPath = o.path;
        if (o.at) e.trashedAt = o.at;
        if (e.isDir) trashedDirs.set(here, o.path);
      }
      toTrash(e);
      continue;
    }
    if (MAC.test(e.folder)) {
      toTrash(e);
      continue;
    }
    const a = ANDROID.exec(e.name);
    if (a && !e.isDir) {
      e.name = a[1];
      toTrash(e);
    }
  }
  // Everything inside a trashed folder (or any folder inside a trash) is trash too.
  for (const e of entries) {
    if (!e.folder) continue;
    for (const [dir, orig] of trashedDirs) {
      if (e.folder === dir || e.folder.startsWith(dir + '/')) {
        const sep = orig.includes('\\') ? '\\' : '/';
        const rest = e.folder.slice(dir.length).split('/').filter(Boolean);
        e.trashOriginalPath = [orig, ...rest, e.name].join(sep);
        toTrash(e);
        break;
      }
    }
    if (/(?:^|\/)\$RECYCLE\.BIN\/[^/]+\/./i.test(e.folder) || (FREEDESKTOP.exec(e.folder)?.[3] && FREEDESKTOP.exec(e.folder)?.[2] === 'files')) {
      toTrash(e);
    }
  }
  return entries;
}
