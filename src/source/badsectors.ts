// Reading past bad sectors, as ddrescue does: retry, narrow the failure down to 512-byte
// sectors, zero-fill what cannot be read, record it, and go on with the rest.
import fs from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { UnreadableRange } from '../core/types.ts';
import { SECTOR_SIZE } from './blocksize.ts';

/** errno codes that mean "these sectors could not be read": the medium's fault, worth working around. */
const MEDIA_ERRORS = new Set([
  'EIO', 'ENODATA', 'EBADMSG', 'EILSEQ', 'ETIMEDOUT', 'EREMOTEIO', 'ECOMM', 'EPROTO',
  'ENOLINK', 'EUCLEAN', 'ECANCELED', 'EAGAIN', 'EINTR',
]);
/** errno codes that mean the medium itself is gone: zero-filling the rest of the card would be a lie. */
const GONE_ERRORS = new Set(['ENOMEDIUM', 'ENODEV', 'ENXIO', 'ENOTCONN', 'ESHUTDOWN']);

function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** The sorted, merged list of unreadable ranges of one source. */
export class UnreadableLog {
  /** Sorted by offset; no two ranges overlap or touch. Mutated in place so references stay live. */
  readonly ranges: UnreadableRange[] = [];

  /** Index of the first range that ends at or after `offset`. */
  private firstEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (r.offset + r.length < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when every byte of [offset, offset+length) is already recorded as unreadable. */
  covers(offset: number, length: number): boolean {
    const i = this.firstEndingAtOrAfter(offset);
    const r = this.ranges[i];
    return r !== undefined && r.offset <= offset && r.offset + r.length >= offset + length;
  }

  /** The error recorded for the byte at `pos` ('EIO' if none is). */
  errorAt(pos: number): string {
    const r = this.ranges[this.firstEndingAtOrAfter(pos)];
    return r !== undefined && r.offset <= pos && pos < r.offset + r.length ? r.error : 'EIO';
  }

  /** Record [offset, offset+length) and return the parts of it that were not recorded before. */
  add(offset: number, length: number, error: string): UnreadableRange[] {
    if (length <= 0) return [];
    const end = offset + length;
    const fresh: UnreadableRange[] = [];
    const i = this.firstEndingAtOrAfter(offset);
    let cursor = offset;
    let j = i;
    // Walk the ranges that overlap or touch [offset, end): collect the gaps between them.
    while (j < this.ranges.length && this.ranges[j].offset <= end) {
      const r = this.ranges[j];
      if (r.offset > cursor) fresh.push({ offset: cursor, length: r.offset - cursor, error });
      cursor = Math.max(cursor, r.offset + r.length);
      j++;
    }
    if (cursor < end) fresh.push({ offset: cursor, length: end - cursor, error });
    if (fresh.length === 0) return [];
    // Merge [offset, end) with ranges i..j-1 into one.
    let start = offset;
    let stop = end;
    let err = error;
    if (j > i) {
      start = Math.min(start, this.ranges[i].offset);
      stop = Math.max(stop, this.ranges[j - 1].offset + this.ranges[j - 1].length);
      err = this.ranges[i].error;
    }
    this.ranges.splice(i, j - i, { offset: start, length: stop - start, error: err });
    return fresh;
  }
}

export interface BadSectorPolicy {
  /** Extra attempts at a failed read before narrowing it down (default 2). */
  retries: number;
  /** Extra attempts at a single failed sector before giving it up (default 1). */
  sectorRetries: number;
}

export const DEFAULT_POLICY: BadSectorPolicy = { retries: 2, sectorRetries: 1 };

interface Attempt {
  done: number;
  err?: string;
}

/**
 * Synchronous reads from one descriptor that never fail on bad sectors. The happy path is a
 * plain readSync loop with no allocation; everything else runs only after a read has thrown.
 */
export class SalvagingReader {
  private readonly fd: number;
  private readonly path: string;
  private readonly log: UnreadableLog;
  private readonly policy: BadSectorPolicy;
  private readonly notify: (r: UnreadableRange) => void;
  /** Bad pieces met during the current salvage, merged when adjacent. */
  private found: UnreadableRange[] = [];

  constructor(fd: number, path: string, log: UnreadableLog, policy: BadSectorPolicy, notify: (r: UnreadableRange) => void) {
    this.fd = fd;
    this.path = path;
    this.log = log;
    this.policy = policy;
    this.notify = notify;
  }

  /** Fill buf[off, off+len) from `pos`; returns the bytes filled (fewer only at the end of the medium). */
  fill(buf: Buffer, off: number, len: number, pos: number): number {
    let done = 0;
    while (done < len) {
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, off + done, len - done, pos + done);
      } catch (e) {
        return done + this.salvage(buf, off + done, len - done, pos + done, e);
      }
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  /** Throw unless `e` is a media error; return its code. */
  private classify(e: unknown): string {
    const code = errCode(e);
    if (code !== undefined && GONE_ERRORS.has(code)) {
      throw new UserError(
        'source',
        `${this.path} stopped answering (${code}): was the card removed? Reconnect it and run again`,
        { cause: e },
      );
    }
    if (code === undefined || !MEDIA_ERRORS.has(code)) throw e;
    return code;
  }

  /** One try at the whole range: how far it got, and the error that stopped it, if any. */
  private attempt(buf: Buffer, off: number, len: number, pos: number): Attempt {
    let done = 0;
    while (done < len) {
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, off + done, len - done, pos + done);
      } catch (e) {
        return { done, err: this.classify(e) };
      }
      if (n === 0) break;
      done += n;
    }
    return { done };
  }

  private salvage(buf: Buffer, off: number, len: number, pos: number, first: unknown): number {
    this.found = [];
    let code = this.classify(first);
    let done = 0;
    // A couple of plain retries first: a flaky read often succeeds the second time.
    // Not when the failing spot is already known bad: that would only repeat slow failures.
    const knownBad = (): boolean => this.log.covers(pos + done, Math.min(len - done, SECTOR_SIZE - ((pos + done) % SECTOR_SIZE)));
    for (let i = 0; i < this.policy.retries && !knownBad(); i++) {
      const r = this.attempt(buf, off + done, len - done, pos + done);
      done += r.done;
      if (r.err === undefined) return this.finish(done);
      code = r.err;
    }
    done += this.narrow(buf, off + done, len - done, pos + done, code);
    return this.finish(done);
  }

  /** Report what this salvage found, merged into the source's log; return `done`. */
  private finish(done: number): number {
    const found = this.found;
    this.found = [];
    for (const f of found) for (const piece of this.log.add(f.offset, f.length, f.error)) this.notify(piece);
    return done;
  }

  /**
   * Read a range known to fail somewhere: halve it on sector boundaries until each failing
   * piece is one sector, which is zero-filled and recorded. Returns bytes covered (short only at the end).
   */
  private narrow(buf: Buffer, off: number, len: number, pos: number, code: string): number {
    const S = SECTOR_SIZE;
    if (len <= 0) return 0;
    if (Math.floor(pos / S) === Math.floor((pos + len - 1) / S)) return this.sector(buf, off, len, pos, code);
    let mid = Math.floor((pos + Math.floor(len / 2)) / S) * S;
    if (mid <= pos) mid = (Math.floor(pos / S) + 1) * S;
    const leftLen = mid - pos;
    const a = this.piece(buf, off, leftLen, pos, code);
    if (a < leftLen) return a;
    return leftLen + this.piece(buf, off + leftLen, len - leftLen, mid, code);
  }

  /** Try a piece once; on failure narrow down what is left of it. */
  private piece(buf: Buffer, off: number, len: number, pos: number, code: string): number {
    const S = SECTOR_SIZE;
    let done = 0;
    // Sectors already known bad are not read again: on a failing card each try can take seconds.
    while (done < len) {
      const p = pos + done;
      const head = Math.min(len - done, S - (p % S));
      if (!this.log.covers(p, head)) break;
      this.record(buf, off + done, head, p, this.log.errorAt(p));
      done += head;
    }
    if (done === len) return len;
    const o = off + done;
    const p = pos + done;
    const l = len - done;
    if (Math.floor(p / S) === Math.floor((p + l - 1) / S)) return done + this.sector(buf, o, l, p, code);
    const r = this.attempt(buf, o, l, p);
    if (r.err === undefined) return done + r.done;
    return done + r.done + this.narrow(buf, o + r.done, l - r.done, p + r.done, r.err);
  }

  /** A piece within one sector: a few tries, then zero-fill and record it. Returns bytes covered. */
  private sector(buf: Buffer, off: number, len: number, pos: number, code: string): number {
    if (this.log.covers(pos, len)) {
      this.record(buf, off, len, pos, this.log.errorAt(pos));
      return len;
    }
    let good = 0;
    let err = code;
    for (let i = 0; i <= this.policy.sectorRetries; i++) {
      const r = this.attempt(buf, off + good, len - good, pos + good);
      if (r.err === undefined) return good + r.done;
      // Bytes before the failure are good; only the rest is lost.
      good += r.done;
      err = r.err;
    }
    this.record(buf, off + good, len - good, pos + good, err);
    return len;
  }

  /** Zero-fill a lost piece and add it to this salvage's findings, merging with the previous one. */
  private record(buf: Buffer, off: number, len: number, pos: number, error: string): void {
    buf.fill(0, off, off + len);
    const last = this.found[this.found.length - 1];
    if (last && last.offset + last.length === pos && last.error === error) last.length += len;
    else this.found.push({ offset: pos, length: len, error });
  }
}

