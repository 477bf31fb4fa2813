// Shared bits of the dashboard's end-to-end tests: where things are, the demo card's truth,
// and what a recovery folder holds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(REPO, 'bin/photorescue.js');
export const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');
export const DEMO_TRUTH = path.join(REPO, 'fixtures/disk-images/demo.truth.json');

export interface DemoFile {
  path: string;
  type: string;
  size: number;
  sha256: string;
  state: string;
  recoverable: boolean;
}

export function demoTruth(): { image_sha256: string; files: DemoFile[] } {
  return JSON.parse(fs.readFileSync(DEMO_TRUTH, 'utf8'));
}

export function sha256File(p: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/** Every file under OUT/recovered and OUT/partial: name -> sha256. */
export function recoveredFiles(out: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else found.set(path.relative(out, p), sha256File(p));
    }
  };
  walk(path.join(out, 'recovered'));
  walk(path.join(out, 'partial'));
  return found;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', prefix));
}
