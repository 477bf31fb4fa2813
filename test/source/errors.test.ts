// What a person sees when the source cannot be used: one clear line, kind 'source'.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.ts';
import { openSource } from '../../src/source/index.ts';
import { openAsNobody, sha256File, tempDir, writeRandomImage } from './helpers.ts';

function openError(p: string): { kind: string; message: string } {
  try {
    openSource(p).close();
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { kind: e.kind, message: e.message };
  }
  throw new Error(`openSource(${p}) did not fail`);
}

describe('openSource errors', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('errors');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a missing path', () => {
    const p = path.join(dir, 'no-such-card.img');
    expect(openError(p)).toEqual({ kind: 'source', message: `No such file or device: ${p}` });
  });

  it('a path through a missing folder', () => {
    const p = path.join(dir, 'nope', 'card.img');
    expect(openError(p)).toEqual({ kind: 'source', message: `No such file or device: ${p}` });
  });

  it('a directory', () => {
    const e = openError(dir);
    expect(e.kind).toBe('source');
    expect(e.message).toBe(`${dir} is a folder: give a disk image file (card.img) or a device (/dev/sdb)`);
  });

  it('a zero-size file', () => {
    const p = path.join(dir, 'empty.img');
    fs.writeFileSync(p, '');
    expect(openError(p)).toEqual({ kind: 'source', message: `${p} is empty (0 bytes): there is nothing to scan` });
  });

  it('a character device is not a medium', () => {
    expect(openError('/dev/null')).toEqual({
      kind: 'source',
      message: '/dev/null is neither a disk image file nor a block device',
    });
  });

  it('a root-only 0600 image opened by another user: permission denied, in one line', () => {
    const p = path.join(dir, 'root-only.img');
    writeRandomImage(p, 64 * 1024);
    fs.chmodSync(p, 0o600);
    const hash = sha256File(p);
    const r = openAsNobody(p);
    expect(r.ok).toBe(false);
    expect(r.name).toBe('UserError');
    expect(r.kind).toBe('source');
    expect(r.message).toBe(`Permission denied reading ${p}: run with sudo, or make the file readable (chmod a+r ${p})`);
    expect(r.message).not.toContain('\n');
    expect(sha256File(p)).toBe(hash);
    // The same file made readable opens fine as that user: the denial was about permissions.
    fs.chmodSync(p, 0o644);
    expect(openAsNobody(p)).toEqual({ ok: true, size: 64 * 1024 });
  });
});
