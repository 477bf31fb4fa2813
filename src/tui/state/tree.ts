// The found-files tree: groups (original folder, type or date) with their files under them,
// flattened into rows for a virtual list. Built in O(n) and memoised, so 100,000 files cost
// one pass when they change, not one per keystroke.
import type { FoundFile } from '../../core/types.ts';

export type Grouping = 'folder' | 'type' | 'date';
export const GROUPINGS: readonly Grouping[] = ['folder', 'type', 'date'];

export type TreeRow =
  | { kind: 'group'; key: string; label: string; count: number; collapsed: boolean; depth: number }
  | { kind: 'file'; index: number; group: string; depth: number };

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

interface FolderNode {
  path: string;
  children: Map<string, FolderNode>;
  files: number[];
  count: number;
}

function folderTree(groups: Map<string, number[]>): FolderNode {
  const root: FolderNode = { path: '', children: new Map(), files: [], count: 0 };
  for (const [key, list] of groups) {
    let node = root;
    node.count += list.length;
    for (const part of key.split('/')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { path: node.path ? `${node.path}/${part}` : part, children: new Map(), files: [], count: 0 }));
      child.count += list.length;
      node = child;
    }
    node.files.push(...list);
  }
  return root;
}

/**
 * Folders as a tree, with chains of single sub-folders shown on one row as VS Code's compact
 * folders do (EOS_DIGITAL/DCIM/100CANON), sub-folders before files.
 */
function folderRows(root: FolderNode, collapsed: ReadonlySet<string>, rows: TreeRow[]): void {
  const walk = (node: FolderNode, label: string, depth: number) => {
    while (node.children.size === 1 && node.files.length === 0) {
      const [name, only] = [...node.children][0];
      label = label ? `${label}/${name}` : name;
      node = only;
    }
    const isCollapsed = collapsed.has(node.path);
    rows.push({ kind: 'group', key: node.path, label, count: node.count, collapsed: isCollapsed, depth });
    if (isCollapsed) return;
    for (const name of [...node.children.keys()].sort()) walk(node.children.get(name)!, name, depth + 1);
    for (const index of node.files) rows.push({ kind: 'file', index, group: node.path, depth: depth + 1 });
  };
  const tops = [...root.children.keys()].sort((a, b) => groupOrder('folder', a + '/', b + '/'));
  for (const name of tops) walk(root.children.get(name)!, name, 0);
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
  const rows: TreeRow[] = [];
  if (input.grouping === 'folder') {
    folderRows(folderTree(groups), input.collapsed, rows);
    return rows;
  }
  const keys = [...groups.keys()].sort((a, b) => groupOrder(input.grouping, a, b));
  for (const key of keys) {
    const list = groups.get(key)!;
    const collapsed = input.collapsed.has(key);
    rows.push({ kind: 'group', key, label: key, count: list.length, collapsed, depth: 0 });
    if (collapsed) continue;
    for (const index of list) rows.push({ kind: 'file', index, group: key, depth: 1 });
  }
  return rows;
}

/** Is a file of group `group` inside the tree node `key` (the node itself or a sub-folder)? */
export function inGroup(group: string, key: string): boolean {
  return group === key || group.startsWith(key + '/');
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
