// Writing found files into OUT: temp name, streamed copy with sha256, rename when whole.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { ByteReader, Extent, FoundFile, RecoveredFile } from '../core/types.ts';
import { UserError } from '../core/errors.ts';
import { PathAllocator, plannedPath } from './names.ts';

const COPY = 1024 * 1024;

export class Writer {
  readonly out: string;
  private medium: ByteReader;
  readonly paths = new PathAllocator();

  private tmpDir: string;
  private copyBuf = Buffer.allocUnsafeSlow(COPY);
  /** Tells whether any of these extents met an unreadable range (set by the run). */
  damaged?: (extents: readonly Extent[]) => Extent | null;
  private seq = 0;

  constructor(out: string, medium: ByteReader) {
    this.out = out;
    this.medium = medium;
    // Half-written files live in OUT/.photorescue/tmp (same filesystem, so the rename is atomic)
    // and never under recovered/: a killed run leaves nothing there that looks whole.
    this.tmpDir = path.join(out, '.photorescue', 'tmp');
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  /**
   * A run killed between renaming a file into place and noting it in the journal leaves a whole
   * file the journal does not know. Take it as written (same bytes as on the medium) instead of
   * writing it again.
   */
  private adopt(f: FoundFile): RecoveredFile | null {
    if (f.verdict !== 'complete') return null;
    const rel = this.paths.peek(plannedPath(f));
    const final = path.join(this.out, rel);
    const st = fs.statSync(final, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size !== f.size) return null;
    const h = crypto.createHash('sha256');
    for (const e of f.extents) for (let pos = 0; pos < e.length; pos += COPY) h.update(this.medium.read(e.offset + pos, Math.min(COPY, e.length - pos)));
    const sha = h.digest('hex');
    if (sha !== sha256Of(final)) return null;
    this.paths.reserve(rel);
    return { id: f.id, path: rel, format: f.format, ext: f.ext, size: f.size, sha256: sha, foundBy: f.foundBy, extents: f.extents, original: f.original, verdict: f.verdict, reason: f.reason };
  }

  /** Write one file; returns its report record. Never leaves a half file under its final name. */
  async write(found: FoundFile): Promise<RecoveredFile> {
    const adopted = this.adopt(found);
    if (adopted) return adopted;
    let f = found;
    const tmp = path.join(this.tmpDir, `${process.pid}-${this.seq++}.part`);
    const hash = crypto.createHash('sha256');
    let head: Buffer | null = null;
    let fd = -1;
    try {
      fd = fs.openSync(tmp, 'w');
      let written = 0;
      for (const e of f.extents) {
        for (let pos = 0; pos < e.length && written < f.size; ) {
          const n = Math.min(COPY, e.length - pos, f.size - written);
          // One buffer for the whole copy when the medium can fill it (no garbage per MiB).
          const buf = this.medium.readInto ? this.copyBuf.subarray(0, this.medium.readInto(this.copyBuf.subarray(0, n), e.offset + pos)) : this.medium.read(e.offset + pos, n);
          if (buf.length === 0) break;
          if (!head) head = Buffer.from(buf.subarray(0, 4100));
          hash.update(buf);
          writeAll(fd, buf);
          pos += buf.length;
          written += buf.length;
        }
      }
      fs.closeSync(fd);
      fd = -1;
      // Bytes that could not be read were zero-filled: such a file is not whole, whatever its
      // structure says.
      const bad = this.damaged?.(f.extents);
      if (bad && f.verdict === 'complete') f = { ...f, verdict: 'partial', reason: `unreadable sectors at ${bad.offset}+${bad.length}` };
      const rel = this.paths.allocate(plannedPath(f));
      const final = path.join(this.out, rel);
      // Belt and braces: a sanitised path can never leave OUT.
      if (!final.startsWith(path.resolve(this.out) + path.sep)) throw new Error(`refusing path outside OUT: ${rel}`);
      fs.mkdirSync(path.dirname(final), { recursive: true });
      const mtime = f.original?.modified ? new Date(f.original.modified) : null;
      if (mtime && !Number.isNaN(mtime.getTime())) fs.utimesSync(tmp, mtime, mtime);
      fs.renameSync(tmp, final);
      const detected = head ? await fileTypeFromBuffer(head) : undefined;
      return {
        id: f.id,
        path: rel,
        format: f.format,
        ext: f.ext,
        size: written,
        sha256: hash.digest('hex'),
        foundBy: f.foundBy,
        extents: f.extents,
        original: f.original,
        verdict: f.verdict,
        reason: f.reason,
        detectedMime: detected?.mime,
      };
    } catch (e) {
      if (fd >= 0) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw outputError(e, this.out);
    }
  }
}

function sha256Of(p: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(p, 'r');
  try {
    const buf = Buffer.allocUnsafe(COPY);
    for (let n; (n = fs.readSync(fd, buf, 0, COPY, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Turn an output-side failure into one line a person understands. */
export function outputError(e: unknown, out: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new UserError('output', `The output disk is full (${out}). Files recovered so far are kept; free some space or choose another folder, then run the same command again to resume.`, { cause: e });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new UserError('output', `Cannot write to ${out} (${code}). Choose a folder you can write to.`, { cause: e });
  if (code === 'EIO') return new UserError('output', `The output disk reported an I/O error (${out}). Files recovered so far are kept; check the disk and resume.`, { cause: e });
  return e;
}
