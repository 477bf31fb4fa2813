// Test helpers: a read-only image reader and the image's sha256 (checked unchanged afterwards).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteReader } from '../../src/core/types.ts';

export interface Image extends ByteReader {
  close(): void;
}

export function openImage(path: string): Image {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(position, length) {
      const n = Math.max(0, Math.min(length, size - position));
      const b = Buffer.alloc(n);
      if (n > 0) readSync(fd, b, 0, n, position);
      return b;
    },
    close: () => closeSync(fd),
  };
}

export function sha256File(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Bytes of the clusters given as runs [[first, last], ...], cut to `size`. */
export function readRuns(img: ByteReader, clusterOffset: (c: number) => number, clusterSize: number, runs: number[][], size: number): Buffer {
  const parts: Buffer[] = [];
  for (const [a, b] of runs) parts.push(img.read(clusterOffset(a), (b - a + 1) * clusterSize));
  return Buffer.concat(parts).subarray(0, size);
}

/** A deterministic PRNG (mulberry32) for the fuzz cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
