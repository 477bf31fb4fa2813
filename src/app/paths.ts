// Where the package's own files are, whether running from the sources or from the dist/ bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && /"name":\s*"photorescue"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
}

export const PACKAGE_ROOT = findRoot();

/** The demo card shipped with the package. */
export const DEMO_IMAGE = path.join(PACKAGE_ROOT, 'fixtures/disk-images/demo.img');
