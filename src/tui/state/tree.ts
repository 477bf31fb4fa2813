// The found-files tree: groups (original folder, type or date) with their files under them,
// flattened into rows for a virtual list. Built in O(n) and memoised, so 100,000 files cost
// one pass when they change, not one per keystroke.
import type { FoundFile } from '../../core/types.ts';

export type Grouping = 'folder' | 'type' | 'date';
export const GROUPINGS: readonly Grouping[] = ['folder', 'type', 'date'];

export type TreeRow =
  | { kind: 'group'; key: string; label: string; count: number; collapsed: boolean }
  | { kind: 'file'; index: number; group: string };

/** The name a person sees: the filesystem's name, or PhotoRec-style f<sector>.<ext> for carved files. */
export function displayName(f: FoundFile): string {
  if (f.original?.name) return f.original.name;
  const first = f.extents[0]?.offset ?? 0;
  return `f${Math.floor(first / 512)}.${f.ext}`;
}

export function folderOf(f: FoundFile): string {
  if (f.original) {
    const folder = f.original.folder ? `/${f.original.folder}` : '';
    return `${f.original.partition}${folder}`;
  }
  return `Carved/${f.format}`;
}

const TYPE_LABEL: Record<string, string> = { jpeg: 'JPEG photos', heic: 'HEIC photos', mp4: 'MP4 videos', mov: 'MOV videos' };

export function dateOf(f: FoundFile): string {
  const d = f.original?.modified ?? f.original?.created;
  return d && /^\d{4}-\d{2}/.test(d) ? d.slice(0, 7) : 'Unknown date';
}

export function groupKey(f: FoundFile, g: Grouping): string {
  if (g === 'folder') return folderOf(f);
  if (g === 'type') return TYPE_LABEL[f.format] ?? f.format;
  return dateOf(f);
}

/** Case-insensitive: every word of the filter must appear in the name, folder or format. */
export function matchesFilter(f: FoundFile, words: string[]): boolean {
  if (!words.length) return true;
  const hay = `${displayName(f)} ${folderOf(f)} ${f.format} ${f.verdict} ${f.foundBy}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

function groupOrder(g: Grouping, a: string, b: string): number {
  // Carved groups and unknown dates come after what the filesystem knew.
  const ra = a.startsWith('Carved/') || a === 'Unknown date' ? 1 : 0;
  const rb = b.startsWith('Carved/') || b === 'Unknown date' ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (g === 'date') return a < b ? 1 : a > b ? -1 : 0; // newest first
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TreeInput {
  files: readonly FoundFile[];
  filesVersion: number;
  grouping: Grouping;
  filter: string;
  collapsed: ReadonlySet<string>;
}

export function buildRows(input: TreeInput): TreeRow[] {
  const words = input.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, number[]>();
  const files = input.files;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (!matchesFilter(f, words)) continue;
    const k = groupKey(f, input.grouping);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => groupOrder(input.grouping, a, b));
  const rows: TreeRow[] = [];
  for (const key of keys) {
    const list = groups.get(key)!;
    const collapsed = input.collapsed.has(key);
    rows.push({ kind: 'group', key, label: key, count: list.length, collapsed });
    if (collapsed) continue;
    for (const index of list) rows.push({ kind: 'file', index, group: key });
  }
  return rows;
}

let memoKey: unknown[] = [];
let memoRows: TreeRow[] = [];

/** buildRows, remembered for the last input (the views and the reducer ask many times a frame). */
export function treeRows(input: TreeInput): TreeRow[] {
  const key = [input.files, input.filesVersion, input.grouping, input.filter, input.collapsed];
  if (key.length === memoKey.length && key.every((k, i) => k === memoKey[i])) return memoRows;
  memoKey = key;
  memoRows = buildRows(input);
  return memoRows;
}
