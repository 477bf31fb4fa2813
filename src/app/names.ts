// Turning names from a (possibly hostile) card into safe paths under OUT.
import path from 'node:path';
import type { FoundFile, OriginalInfo } from '../core/types.ts';

const MAX_NAME_BYTES = 200;

/** One path component from an untrusted name: no separators, no control bytes, no `.`/`..`. */
export function sanitizeComponent(name: string, fallback = '_'): string {
  // eslint-disable-next-line no-control-regex
  let s = name.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\]/g, '_');
  s = s.replace(/[<>:"|?*]/g, '_').trim();
  s = s.replace(/[. ]+$/, (m) => (s.length === m.length ? m : ''));
  if (s === '' || /^\.+$/.test(s)) s = fallback;
  while (Buffer.byteLength(s) > MAX_NAME_BYTES) s = s.slice(0, -1);
  return s;
}

/** The path under OUT that a found file should get (before clash handling). */
export function plannedPath(f: FoundFile): string {
  const top = f.verdict === 'complete' ? 'recovered' : 'partial';
  if (f.original) {
    const parts = [f.original.partition, ...originalFolders(f.original)].map((p) => sanitizeComponent(p));
    let name = sanitizeComponent(f.original.name, `${offsetName(f)}`);
    if (!path.extname(name)) name += `.${f.ext}`;
    return path.posix.join(top, ...parts, name);
  }
  return path.posix.join(top, offsetName(f) + `.${f.ext}`);
}

/**
 * The folders a file belongs in: where it was, or for a file in a trash folder that recorded
 * its old place (`E:\DCIM\100MEDIA\Beach.JPG`, `DCIM/photo.jpg`), where it was before.
 */
function originalFolders(o: OriginalInfo): string[] {
  if (o.trashOriginalPath) {
    const parts = o.trashOriginalPath.replace(/^[A-Za-z]:/, '').split(/[\\/]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
    parts.pop();
    return parts;
  }
  return o.folder.split('/').filter((p) => p !== '');
}

function offsetName(f: FoundFile): string {
  return (f.extents[0]?.offset ?? 0).toString(16).padStart(10, '0');
}

/** Give clashing paths a " (2)" suffix; case-insensitive, like the cards they came from. */
export class PathAllocator {
  private used = new Set<string>();

  reserve(p: string): void {
    this.used.add(p.toLowerCase());
  }

  /** The path `allocate` would give, without taking it. */
  peek(p: string): string {
    if (!this.used.has(p.toLowerCase())) return p;
    const ext = path.posix.extname(p);
    const stem = p.slice(0, p.length - ext.length);
    for (let i = 2; ; i++) {
      const cand = `${stem} (${i})${ext}`;
      if (!this.used.has(cand.toLowerCase())) return cand;
    }
  }

  allocate(p: string): string {
    const got = this.peek(p);
    this.reserve(got);
    return got;
  }
}
