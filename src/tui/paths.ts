// Tab completion of paths for the "open image" and "recover to" prompts.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

export interface Completion {
  /** The new value of the input. */
  value: string;
  /** What else could follow (names, with '/' after folders), when more than one fits. */
  candidates: string[];
}

export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

function commonPrefix(names: string[]): string {
  if (!names.length) return '';
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function completePath(value: string, cwd = process.cwd()): Completion {
  const slash = value.lastIndexOf('/');
  const dirPart = slash >= 0 ? value.slice(0, slash + 1) : '';
  const base = slash >= 0 ? value.slice(slash + 1) : value;
  const expanded = expandHome(dirPart || '.');
  const dir = isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
  let entries: { name: string; dir: boolean }[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => {
        let isDir = e.isDirectory();
        if (e.isSymbolicLink()) {
          try {
            isDir = statSync(resolve(dir, e.name)).isDirectory();
          } catch {
            isDir = false;
          }
        }
        return { name: e.name, dir: isDir };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return { value, candidates: [] };
  }
  if (entries.length === 0) return { value, candidates: [] };
  if (entries.length === 1) {
    const e = entries[0];
    return { value: dirPart + e.name + (e.dir ? '/' : ''), candidates: [] };
  }
  const prefix = commonPrefix(entries.map((e) => e.name));
  return { value: dirPart + prefix, candidates: entries.slice(0, 50).map((e) => e.name + (e.dir ? '/' : '')) };
}
