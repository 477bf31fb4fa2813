#!/usr/bin/env node
// The fixture card images are committed gzipped (fixtures/disk-images/*.img.gz): they are mostly
// zeros, so 400 MB of cards are a few MB in git. This unpacks each into its .img beside it
// (sparse: runs of zeros are skipped, not written) when the .img is missing or older.
// Run by `npm ci`/`npm install` (prepare), `npm start` and `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/disk-images');
const BLOCK = 64 * 1024;

/** The uncompressed size gzip records in its last 4 bytes (mod 2^32; our cards are smaller). */
function gzipSize(gz) {
  const fd = fs.openSync(gz, 'r');
  try {
    const b = Buffer.alloc(4);
    fs.readSync(fd, b, 0, 4, fs.fstatSync(fd).size - 4);
    return b.readUInt32LE(0);
  } finally {
    fs.closeSync(fd);
  }
}

function unpack(gz, img) {
  const tmp = `${img}.unpacking`;
  const fd = fs.openSync(tmp, 'w');
  const inflate = zlib.gunzipSync(fs.readFileSync(gz), { chunkSize: BLOCK });
  const zero = Buffer.alloc(BLOCK);
  for (let pos = 0; pos < inflate.length; pos += BLOCK) {
    const chunk = inflate.subarray(pos, Math.min(inflate.length, pos + BLOCK));
    if (chunk.length === BLOCK && chunk.equals(zero)) continue; // leave a hole
    fs.writeSync(fd, chunk, 0, chunk.length, pos);
  }
  fs.ftruncateSync(fd, inflate.length);
  fs.closeSync(fd);
  fs.renameSync(tmp, img);
}

let n = 0;
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.img.gz')).sort()) {
  const gz = path.join(dir, name);
  const img = gz.slice(0, -3);
  const st = fs.statSync(img, { throwIfNoEntry: false });
  if (st && st.size === gzipSize(gz) && st.mtimeMs >= fs.statSync(gz).mtimeMs) continue;
  unpack(gz, img);
  n++;
}
if (n > 0) process.stdout.write(`fixtures: unpacked ${n} card image${n === 1 ? '' : 's'}\n`);
