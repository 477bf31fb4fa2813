// A format cannot ship without its pieces: a README row, its own tests, real fixtures on the
// committed cards, and the promise that a cut-short file is never called complete.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/carver/registry.ts';
import { bufferReader } from '../../src/core/readers.ts';
import { REPO } from '../helpers/corpus.ts';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const CARDS = path.join(REPO, 'fixtures/disk-images');
const TESTS = fs.readdirSync(path.join(REPO, 'test/carver/formats'));
const TYPE_OF: Record<string, string[]> = { jpeg: ['jpeg'], heic: ['heic'], mp4: ['mp4', '3gp'], mov: ['mov'] };

interface TF { type: string; ranges: [number, number][]; sha256: string; overwritten: boolean }

/** A file of this format from the committed cards, read from its truth ranges. */
function sample(types: string[]): Buffer | null {
  for (const n of fs.readdirSync(CARDS).filter((x) => x.endsWith('.truth.json') && !x.startsWith('fs-'))) {
    const t = JSON.parse(fs.readFileSync(path.join(CARDS, n), 'utf8')) as { files: TF[] };
    const f = t.files.find((x) => types.includes(x.type) && !x.overwritten);
    if (!f) continue;
    const fd = fs.openSync(path.join(CARDS, n.replace('.truth.json', '.img')), 'r');
    try {
      return Buffer.concat(f.ranges.map(([o, l]) => {
        const b = Buffer.alloc(l);
        fs.readSync(fd, b, 0, l, o);
        return b;
      }));
    } finally {
      fs.closeSync(fd);
    }
  }
  return null;
}

describe.each(FORMATS.map((f) => [f.id, f] as const))('format %s', (id, mod) => {
  it('has a README row, its own tests, and fixtures on the committed cards', () => {
    expect(README).toContain(`src/carver/formats/${id}.ts`);
    expect(TESTS.some((t) => t.startsWith(id) || (id !== 'jpeg' && t.startsWith('isobmff')))).toBe(true);
    expect(mod.signatures.length).toBeGreaterThan(0);
    expect(sample(TYPE_OF[id])).not.toBeNull();
  });

  it('measures a whole fixture file exactly and never calls a truncated one complete', () => {
    const bytes = sample(TYPE_OF[id])!;
    const padded = Buffer.concat([bytes, Buffer.alloc(64 * 1024, 0x5a)]);
    const probe = mod.probe(padded.subarray(0, 4096));
    expect(probe).not.toBeNull();
    const whole = mod.measure(bufferReader(padded), probe!);
    expect(whole.status).toBe('complete');
    expect(whole.length).toBe(bytes.length);
    for (const frac of [0.3, 0.6, 0.95]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * frac));
      expect(mod.measure(bufferReader(cut), probe!).status).not.toBe('complete');
    }
  });
});
