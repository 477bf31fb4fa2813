#!/usr/bin/env node
// Launcher. Runs the bundle in dist/ (built by `npm run build`, run by npm install, start and
// test) when it is newer than every source file; otherwise runs the TypeScript sources directly
// (Node >= 22.18 strips types), so a stale bundle is never used.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli.js`;

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

let useBundle = false;
try {
  useBundle = fs.statSync(bundle).mtimeMs >= newestSource(`${root}src`);
} catch {
  useBundle = false;
}
await import(useBundle ? bundle : '../src/cli/main.ts');
