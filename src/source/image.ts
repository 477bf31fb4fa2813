// Opening a medium (disk image file or block device) read-only, with bad-sector salvage.
import fs from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { UnreadableRange } from '../core/types.ts';
import { DEFAULT_POLICY, SalvagingReader, UnreadableLog, type BadSectorPolicy } from './badsectors.ts';
import { blockDeviceSize } from './blocksize.ts';
import type { Source } from './types.ts';

export interface OpenSourceOptions {
  /** Called once for each new unreadable range (also settable later as `source.onUnreadable`). */
  onUnreadable?: (range: UnreadableRange) => void;
  /** Extra attempts at a failed read before narrowing it down to sectors (default 2). */
  retries?: number;
  /** Extra attempts at a single failed sector (default 1). */
  sectorRetries?: number;
}

/** The largest single `read` (readInto is bounded by the caller's buffer). */
export const MAX_READ = 1024 * 1024 * 1024;

function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

function permissionMessage(path: string, isDevice: boolean): string {
  return isDevice
    ? `Permission denied reading ${path}: run with sudo, or image the card first (e.g. sudo dd if=${path} of=card.img bs=4M status=progress)`
    : `Permission denied reading ${path}: run with sudo, or make the file readable (chmod a+r ${path})`;
}

/** Turn a failed stat/open into the one line a person should read. */
function openError(path: string, e: unknown, isDevice: boolean): UserError {
  const code = errCode(e);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new UserError('source', `No such file or device: ${path}`, { cause: e });
    case 'EACCES':
    case 'EPERM':
      return new UserError('source', permissionMessage(path, isDevice), { cause: e });
    case 'ENOMEDIUM':
      return new UserError('source', `No card in the reader at ${path}: insert the card and try again`, { cause: e });
    case 'ENXIO':
    case 'ENODEV':
      return new UserError('source', `${path} is not there any more: reconnect the card and try again`, { cause: e });
    case 'ELOOP':
      return new UserError('source', `Too many symbolic links resolving ${path}`, { cause: e });
    default:
      return new UserError('source', `Cannot open ${path}: ${code ?? (e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

/**
 * Open a disk image or block device for reading. Read-only (O_RDONLY, nothing else), never
 * mounted. Throws UserError (kind 'source') with a one-line message when it cannot be used.
 */
export function openSource(path: string, opts: OpenSourceOptions = {}): Source {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    throw openError(path, e, path.startsWith('/dev/'));
  }
  if (st.isDirectory()) {
    throw new UserError('source', `${path} is a folder: give a disk image file (card.img) or a device (/dev/sdb)`);
  }
  if (!st.isFile() && !st.isBlockDevice()) {
    throw new UserError('source', `${path} is neither a disk image file nor a block device`);
  }

  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw openError(path, e, st.isBlockDevice());
  }

  try {
    // fstat the descriptor we hold: the path could have changed between stat and open.
    const fst = fs.fstatSync(fd);
    const kind: Source['kind'] = fst.isBlockDevice() ? 'block' : 'file';
    let size: number;
    if (kind === 'block') {
      const s = blockDeviceSize(path, fst.rdev);
      if (s === undefined) throw new UserError('source', `Cannot tell the size of ${path}: neither /sys nor blockdev answered`);
      size = s;
    } else {
      size = fst.size;
    }
    if (size === 0) {
      throw new UserError(
        'source',
        kind === 'block'
          ? `${path} has a size of 0 bytes: is a card in the reader?`
          : `${path} is empty (0 bytes): there is nothing to scan`,
      );
    }
    return makeSource(fd, path, kind, size, fst, opts);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

function makeSource(
  fd: number,
  path: string,
  kind: Source['kind'],
  size: number,
  st: fs.Stats,
  opts: OpenSourceOptions,
): Source {
  const log = new UnreadableLog();
  const policy: BadSectorPolicy = {
    retries: opts.retries ?? DEFAULT_POLICY.retries,
    sectorRetries: opts.sectorRetries ?? DEFAULT_POLICY.sectorRetries,
  };
  let open = true;
  const source: Source = {
    path,
    kind,
    size,
    device: { dev: st.dev, rdev: st.rdev, ino: st.ino },
    unreadable: log.ranges,
    onUnreadable: opts.onUnreadable,
    read(position: number, length: number): Buffer {
      if (!open) throw new Error(`read from closed source ${path}`);
      if (!(position >= 0) || !(length > 0) || position >= size) return Buffer.alloc(0);
      const n = Math.min(length, size - position);
      // A length computed from the medium's own bytes must not allocate the machine away.
      if (n > MAX_READ) throw new RangeError(`read of ${n} bytes from ${path} is larger than ${MAX_READ}: read in pieces`);
      const buf = Buffer.allocUnsafe(n);
      const got = reader.fill(buf, 0, n, position);
      return got === n ? buf : buf.subarray(0, got);
    },
    readInto(buf: Buffer, position: number): number {
      if (!open) throw new Error(`read from closed source ${path}`);
      if (!(position >= 0) || position >= size || buf.length === 0) return 0;
      return reader.fill(buf, 0, Math.min(buf.length, size - position), position);
    },
    close(): void {
      if (!open) return;
      open = false;
      try {
        fs.closeSync(fd);
      } catch {
        // A card pulled out mid-run fails even close (ENOTCONN on FUSE, EIO on some readers): nothing left to release.
      }
    },
  };
  const reader = new SalvagingReader(fd, path, log, policy, (r) => source.onUnreadable?.(r));
  return source;
}
