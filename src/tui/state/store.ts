// The dashboard's whole state and the one reducer that changes it: engine events
// (RecoveryEvent) and UI actions go in, a new state comes out. No I/O, no terminal.
//
// Two collections are append-only and grow in place for speed (a scan can find 100,000
// files; copying the array per event would be quadratic): `files` and the scan map. Each
// change bumps `filesVersion` / `mapVersion`, which is what memoised views compare.
import type { FormatId, FoundFile, Partition, Problem, RecoveryEvent } from '../../core/types.ts';
import { computeLayout, type Layout } from './layout.ts';
import { MAP_BUCKETS, markExtents, CELL_INTACT, CELL_PARTIAL, CELL_UNREADABLE } from './scanmap.ts';
import { inGroup, treeRows, GROUPINGS, type Grouping, type TreeRow } from './tree.ts';

export type Activity = 'drives' | 'scan' | 'recovered' | 'problems';
export const ACTIVITIES: readonly Activity[] = ['drives', 'scan', 'recovered', 'problems'];
export type Focus = 'sidebar' | 'editor' | 'panel';
export type PanelTab = 'output' | 'problems';
export type RunState = 'idle' | 'scanning' | 'paused' | 'done' | 'cancelled' | 'failed' | 'recovering';

export interface Tab {
  id: string;
  kind: 'welcome' | 'scan' | 'preview';
  title: string;
  fileId?: string;
}

export interface DriveEntry {
  path: string;
  label: string;
  detail: string;
  kind: 'demo' | 'drive' | 'image';
  size?: number;
}

export interface PreviewImage {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Uint8Array;
}

export interface PreviewData {
  fileId: string;
  status: 'loading' | 'ready' | 'error';
  image?: PreviewImage;
  /** Bigger image for kitty/iTerm2 graphics (raw RGB). */
  meta: [string, string][];
  hex?: Uint8Array;
  error?: string;
}

export type Overlay =
  | { kind: 'palette'; query: string; cursor: number }
  | { kind: 'help'; scroll: number }
  | {
      kind: 'prompt';
      /** What to do with the answer (the app knows). */
      purpose: 'open-image' | 'recover-selected' | 'recover-all' | 'filter';
      title: string;
      value: string;
      paths: boolean;
      completions: string[];
    };

export interface ScanInfo {
  source: string | null;
  state: RunState;
  done: number;
  total: number;
  rate: number;
  rates: number[];
  found: Record<FormatId, number>;
  complete: number;
  partial: number;
  unreadable: number;
  startedAt: number;
  endedAt: number;
  partitions: Partition[];
  error?: string;
}

export interface RecoverInfo {
  out: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  wanted: number;
  written: number;
  bytes: number;
}

export interface State {
  cols: number;
  rows: number;
  activity: Activity;
  sidebarVisible: boolean;
  panelVisible: boolean;
  panelTab: PanelTab;
  focus: Focus;
  tabs: Tab[];
  activeTab: string;
  overlay: Overlay | null;
  notice: { text: string; level: 'info' | 'error' } | null;

  drives: DriveEntry[];
  driveCursor: number;
  driveScroll: number;
  recentImages: string[];

  scan: ScanInfo;
  map: Uint8Array;
  mapVersion: number;

  files: FoundFile[];
  filesVersion: number;
  fileIndex: Map<string, number>;
  grouping: Grouping;
  filter: string;
  collapsed: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  treeCursor: number;
  treeScroll: number;

  problems: Problem[];
  problemCursor: number;
  output: string[];
  /** Lines scrolled back from the end of the panel's list (0: follow the newest). */
  panelScroll: number;
  recover: RecoverInfo | null;
  previews: Record<string, PreviewData>;
}

export type UiAction =
  | { type: 'ui/resize'; cols: number; rows: number }
  | { type: 'ui/activity'; activity: Activity }
  | { type: 'ui/toggleSidebar' }
  | { type: 'ui/togglePanel' }
  | { type: 'ui/panelTab'; tab: PanelTab }
  | { type: 'ui/focus'; focus: Focus }
  | { type: 'ui/focusNext'; delta: 1 | -1 }
  | { type: 'ui/notice'; text: string; level: 'info' | 'error' }
  | { type: 'ui/clearNotice' }
  | { type: 'ui/overlay'; overlay: Overlay | null }
  | { type: 'tab/open'; tab: Tab }
  | { type: 'tab/close'; id?: string }
  | { type: 'tab/activate'; id: string }
  | { type: 'tab/cycle'; delta: 1 | -1 }
  | { type: 'drives/set'; drives: DriveEntry[] }
  | { type: 'recent/add'; path: string }
  | { type: 'list/move'; delta: number }
  | { type: 'list/to'; index: number }
  | { type: 'list/scroll'; target: 'tree' | 'drives' | 'problems' | 'panel'; delta: number }
  | { type: 'tree/toggleGroup'; key?: string; open?: boolean }
  | { type: 'tree/toggleSelect'; id?: string }
  | { type: 'tree/selectAll' }
  | { type: 'tree/selectNone' }
  | { type: 'tree/grouping'; grouping?: Grouping }
  | { type: 'tree/filter'; filter: string }
  | { type: 'scan/begin'; source: string; at: number; size?: number }
  | { type: 'scan/failed'; error: string; at: number }
  | { type: 'recover/begin'; out: string; wanted: number }
  | { type: 'recover/end'; state: RecoverInfo['state'] }
  | { type: 'preview/set'; data: PreviewData }
  | { type: 'output'; line: string };

export type Action = RecoveryEvent | UiAction;

const NO_FOUND = (): Record<FormatId, number> => ({ jpeg: 0, heic: 0, mp4: 0, mov: 0 });

function emptyScan(): ScanInfo {
  return {
    source: null,
    state: 'idle',
    done: 0,
    total: 0,
    rate: 0,
    rates: [],
    found: NO_FOUND(),
    complete: 0,
    partial: 0,
    unreadable: 0,
    startedAt: 0,
    endedAt: 0,
    partitions: [],
  };
}

export interface InitOptions {
  cols?: number;
  rows?: number;
  recentImages?: string[];
  grouping?: Grouping;
  sidebarVisible?: boolean;
  panelVisible?: boolean;
}

export function initialState(o: InitOptions = {}): State {
  return {
    cols: o.cols ?? 100,
    rows: o.rows ?? 30,
    activity: 'drives',
    sidebarVisible: o.sidebarVisible ?? true,
    panelVisible: o.panelVisible ?? true,
    panelTab: 'output',
    focus: 'sidebar',
    tabs: [{ id: 'welcome', kind: 'welcome', title: 'Welcome' }],
    activeTab: 'welcome',
    overlay: null,
    notice: null,
    drives: [],
    driveCursor: 0,
    driveScroll: 0,
    recentImages: o.recentImages ?? [],
    scan: emptyScan(),
    map: new Uint8Array(MAP_BUCKETS),
    mapVersion: 0,
    files: [],
    filesVersion: 0,
    fileIndex: new Map(),
    grouping: o.grouping ?? 'folder',
    filter: '',
    collapsed: new Set(),
    selected: new Set(),
    treeCursor: 0,
    treeScroll: 0,
    problems: [],
    problemCursor: 0,
    output: [],
    panelScroll: 0,
    recover: null,
    previews: {},
  };
}

export function layoutOf(s: State): Layout {
  return computeLayout(s.cols, s.rows, s.sidebarVisible, s.panelVisible);
}

export function rowsOf(s: State): TreeRow[] {
  return treeRows({ files: s.files, filesVersion: s.filesVersion, grouping: s.grouping, filter: s.filter, collapsed: s.collapsed });
}

/** The file under the tree cursor, if the cursor is on a file row. */
export function fileAtCursor(s: State): FoundFile | undefined {
  const row = rowsOf(s)[s.treeCursor];
  return row?.kind === 'file' ? s.files[row.index] : undefined;
}

/** What the cursor keys move: the list of the focused side bar view. */
export function activeList(s: State): 'tree' | 'drives' | 'problems' | null {
  if (s.focus !== 'sidebar' || !s.sidebarVisible) return null;
  if (s.activity === 'drives') return 'drives';
  if (s.activity === 'recovered') return 'tree';
  if (s.activity === 'problems') return 'problems';
  return null;
}

function listHeight(s: State): number {
  return layoutOf(s).sidebarBody?.h ?? 1;
}

/** Move a cursor inside [0, count) and scroll so it stays in view. */
function moveCursor(cursor: number, scroll: number, count: number, height: number, target: number): [number, number] {
  const c = count === 0 ? 0 : Math.max(0, Math.min(count - 1, target));
  let sc = scroll;
  if (c < sc) sc = c;
  if (c >= sc + height) sc = c - height + 1;
  sc = Math.max(0, Math.min(sc, Math.max(0, count - height)));
  return [c, sc];
}

function pushOutput(s: State, line: string): string[] {
  const out = s.output.length >= 2000 ? s.output.slice(-1500) : s.output.slice();
  out.push(line);
  return out;
}

function addProblem(s: State, p: Problem): State {
  const problems = s.problems.length >= 5000 ? s.problems.slice(-4000) : s.problems.slice();
  problems.push(p);
  return { ...s, problems, notice: p.severity === 'info' ? s.notice : { text: p.message, level: 'error' } };
}

function fmtTime(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

function reduceEvent(s: State, e: RecoveryEvent): State {
  switch (e.type) {
    case 'run.start':
      return {
        ...s,
        scan: { ...s.scan, total: e.size || s.scan.total, startedAt: s.scan.startedAt || e.at },
        output: pushOutput(s, `${fmtTime(e.at)} run started on ${e.source}${e.resumed ? ' (resumed)' : ''}`),
      };
    case 'stage.start':
      return { ...s, output: pushOutput(s, `${fmtTime(e.at)} ${e.stage}…`) };
    case 'stage.end':
      return { ...s, output: pushOutput(s, `${fmtTime(e.at)} ${e.stage} done`) };
    case 'partitions':
      return {
        ...s,
        scan: { ...s.scan, partitions: e.partitions },
        output: pushOutput(s, `partitions: ${e.partitions.map((p) => `${p.index}:${p.fs ?? p.type}`).join(', ') || 'none'}`),
      };
    case 'scan.progress': {
      const rates = s.scan.rates.length >= 120 ? s.scan.rates.slice(-119) : s.scan.rates.slice();
      rates.push(e.rate);
      const found = { ...s.scan.found };
      for (const k of Object.keys(e.found) as FormatId[]) found[k] = Math.max(found[k] ?? 0, e.found[k] ?? 0);
      return { ...s, scan: { ...s.scan, done: Math.max(s.scan.done, e.done), total: e.total || s.scan.total, rate: e.rate, rates, found } };
    }
    case 'file.found': {
      const f = e.file;
      const known = s.fileIndex.get(f.id);
      if (known !== undefined) {
        s.files[known] = f; // a file found again (filesystem + carving) is reported once, updated
      } else {
        s.fileIndex.set(f.id, s.files.length);
        s.files.push(f);
      }
      markExtents(s.map, s.scan.total, f.extents, f.verdict === 'complete' ? CELL_INTACT : CELL_PARTIAL);
      const scan = { ...s.scan };
      if (known === undefined) {
        if (f.verdict === 'complete') scan.complete++;
        else scan.partial++;
        // counts per format: the progress events carry them too; take whichever is larger
        const counted = { ...scan.found };
        counted[f.format] = (counted[f.format] ?? 0) + 1;
        scan.found = counted;
      }
      return { ...s, scan, filesVersion: s.filesVersion + 1, mapVersion: s.mapVersion + 1 };
    }
    case 'unreadable': {
      markExtents(s.map, s.scan.total, [e.range], CELL_UNREADABLE);
      const st = addProblem(s, { severity: 'warning', message: `unreadable: ${e.range.length} bytes at ${e.range.offset} (${e.range.error})`, offset: e.range.offset });
      return { ...st, scan: { ...st.scan, unreadable: st.scan.unreadable + 1 }, mapVersion: s.mapVersion + 1, notice: s.notice };
    }
    case 'problem':
      return { ...addProblem(s, e.problem), output: pushOutput(s, `${e.problem.severity}: ${e.problem.message}`) };
    case 'paused':
      return s.scan.state === 'scanning' ? { ...s, scan: { ...s.scan, state: 'paused' } } : s;
    case 'resumed':
      return s.scan.state === 'paused' ? { ...s, scan: { ...s.scan, state: 'scanning' } } : s;
    case 'file.recovered': {
      if (!s.recover) return s;
      return { ...s, recover: { ...s.recover, written: s.recover.written + 1, bytes: s.recover.bytes + e.file.size } };
    }
    case 'run.end': {
      if (s.recover && s.recover.state === 'running') return s; // writeFound's own end is handled by recover/end
      const state: RunState = e.status === 'done' ? 'done' : e.status === 'cancelled' ? 'cancelled' : 'failed';
      const line = `${fmtTime(e.at)} run ${e.status}${e.error ? `: ${e.error}` : ''}`;
      const scan = { ...s.scan, state, endedAt: e.at, error: e.error, done: state === 'done' ? s.scan.total : s.scan.done };
      return { ...s, scan, output: pushOutput(s, line) };
    }
  }
}

function clampTree(s: State): State {
  const rows = rowsOf(s);
  const [c, sc] = moveCursor(s.treeCursor, s.treeScroll, rows.length, listHeight(s), s.treeCursor);
  return c === s.treeCursor && sc === s.treeScroll ? s : { ...s, treeCursor: c, treeScroll: sc };
}

function moveList(s: State, target: (cur: number, count: number) => number): State {
  const list = activeList(s);
  const h = listHeight(s);
  if (list === 'tree') {
    const n = rowsOf(s).length;
    const [c, sc] = moveCursor(s.treeCursor, s.treeScroll, n, h, target(s.treeCursor, n));
    return { ...s, treeCursor: c, treeScroll: sc };
  }
  if (list === 'drives') {
    const n = s.drives.length;
    const [c, sc] = moveCursor(s.driveCursor, s.driveScroll, n, h, target(s.driveCursor, n));
    return { ...s, driveCursor: c, driveScroll: sc };
  }
  if (list === 'problems') {
    const n = s.problems.length;
    return { ...s, problemCursor: Math.max(0, Math.min(n - 1, target(s.problemCursor, n))) };
  }
  return s;
}

function reduceUi(s: State, a: UiAction): State {
  switch (a.type) {
    case 'ui/resize':
      return clampTree({ ...s, cols: a.cols, rows: a.rows });
    case 'ui/activity':
      return clampTree({ ...s, activity: a.activity, sidebarVisible: true, focus: 'sidebar' });
    case 'ui/toggleSidebar': {
      const visible = !s.sidebarVisible;
      return clampTree({ ...s, sidebarVisible: visible, focus: visible ? 'sidebar' : 'editor' });
    }
    case 'ui/togglePanel': {
      const visible = !s.panelVisible;
      return clampTree({ ...s, panelVisible: visible, focus: !visible && s.focus === 'panel' ? 'editor' : s.focus });
    }
    case 'ui/panelTab':
      return { ...s, panelTab: a.tab, panelVisible: true, panelScroll: 0 };
    case 'ui/focus':
      return { ...s, focus: a.focus };
    case 'ui/focusNext': {
      const order: Focus[] = ['sidebar', 'editor', 'panel'].filter(
        (f) => (f !== 'sidebar' || s.sidebarVisible) && (f !== 'panel' || s.panelVisible),
      ) as Focus[];
      const i = order.indexOf(s.focus);
      return { ...s, focus: order[(i + a.delta + order.length) % order.length] };
    }
    case 'ui/notice':
      return { ...s, notice: { text: a.text, level: a.level } };
    case 'ui/clearNotice':
      return s.notice ? { ...s, notice: null } : s;
    case 'ui/overlay':
      return { ...s, overlay: a.overlay };
    case 'tab/open': {
      const exists = s.tabs.some((t) => t.id === a.tab.id);
      // A preview tab is reused, as VS Code's preview editor is: one at a time.
      let tabs = exists ? s.tabs.map((t) => (t.id === a.tab.id ? a.tab : t)) : s.tabs.slice();
      if (!exists) {
        const old = a.tab.kind === 'preview' ? tabs.findIndex((t) => t.kind === 'preview') : -1;
        if (old >= 0) tabs[old] = a.tab;
        else tabs = [...tabs, a.tab];
      }
      return { ...s, tabs, activeTab: a.tab.id };
    }
    case 'tab/close': {
      const id = a.id ?? s.activeTab;
      const i = s.tabs.findIndex((t) => t.id === id);
      if (i < 0) return s;
      const tabs = s.tabs.filter((t) => t.id !== id);
      const activeTab = s.activeTab === id ? (tabs[Math.min(i, tabs.length - 1)]?.id ?? '') : s.activeTab;
      return { ...s, tabs, activeTab };
    }
    case 'tab/activate':
      return s.tabs.some((t) => t.id === a.id) ? { ...s, activeTab: a.id, focus: 'editor' } : s;
    case 'tab/cycle': {
      if (!s.tabs.length) return s;
      const i = s.tabs.findIndex((t) => t.id === s.activeTab);
      return { ...s, activeTab: s.tabs[(i + a.delta + s.tabs.length) % s.tabs.length].id };
    }
    case 'drives/set': {
      const c = Math.max(0, Math.min(s.driveCursor, a.drives.length - 1));
      return { ...s, drives: a.drives, driveCursor: c };
    }
    case 'recent/add': {
      const recentImages = [a.path, ...s.recentImages.filter((p) => p !== a.path)].slice(0, 10);
      return { ...s, recentImages };
    }
    case 'list/move':
      return moveList(s, (cur) => cur + a.delta);
    case 'list/to':
      return moveList(s, (_cur, n) => (a.index < 0 ? n + a.index : a.index));
    case 'list/scroll': {
      const h = listHeight(s);
      if (a.target === 'tree') {
        const n = rowsOf(s).length;
        const sc = Math.max(0, Math.min(Math.max(0, n - h), s.treeScroll + a.delta));
        const c = Math.max(sc, Math.min(sc + h - 1, s.treeCursor));
        return { ...s, treeScroll: sc, treeCursor: Math.min(c, Math.max(0, n - 1)) };
      }
      if (a.target === 'panel') {
        const n = s.panelTab === 'output' ? s.output.length : s.problems.length;
        const ph = layoutOf(s).panelBody?.h ?? 1;
        const panelScroll = Math.max(0, Math.min(Math.max(0, n - ph), s.panelScroll - a.delta));
        return { ...s, panelScroll };
      }
      if (a.target === 'drives') {
        const n = s.drives.length;
        return { ...s, driveScroll: Math.max(0, Math.min(Math.max(0, n - h), s.driveScroll + a.delta)) };
      }
      return s;
    }
    case 'tree/toggleGroup': {
      const row = rowsOf(s)[s.treeCursor];
      const key = a.key ?? (row?.kind === 'group' ? row.key : row?.kind === 'file' ? row.group : undefined);
      if (key === undefined) return s;
      const collapsed = new Set(s.collapsed);
      const open = a.open ?? collapsed.has(key);
      if (open) collapsed.delete(key);
      else collapsed.add(key);
      let next: State = { ...s, collapsed };
      // Collapsing from inside a group moves the cursor to its header.
      if (!open && a.key === undefined && row?.kind === 'file') {
        const idx = rowsOf(next).findIndex((r) => r.kind === 'group' && r.key === key);
        next = { ...next, treeCursor: Math.max(0, idx) };
      }
      return clampTree(next);
    }
    case 'tree/toggleSelect': {
      const rows = rowsOf(s);
      const selected = new Set(s.selected);
      if (a.id) {
        if (selected.has(a.id)) selected.delete(a.id);
        else selected.add(a.id);
        return { ...s, selected };
      }
      const row = rows[s.treeCursor];
      if (!row) return s;
      if (row.kind === 'file') {
        const id = s.files[row.index].id;
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
      } else {
        // Space on a group selects (or clears) all of the group's files that pass the filter.
        const ids = groupIds(s, row.key);
        const all = ids.every((id) => selected.has(id));
        for (const id of ids) {
          if (all) selected.delete(id);
          else selected.add(id);
        }
      }
      return { ...s, selected };
    }
    case 'tree/selectAll': {
      const selected = new Set(s.selected);
      for (const id of visibleIds(s)) selected.add(id);
      return { ...s, selected };
    }
    case 'tree/selectNone':
      return { ...s, selected: new Set() };
    case 'tree/grouping': {
      const grouping = a.grouping ?? GROUPINGS[(GROUPINGS.indexOf(s.grouping) + 1) % GROUPINGS.length];
      return clampTree({ ...s, grouping, collapsed: new Set(), treeCursor: 0, treeScroll: 0 });
    }
    case 'tree/filter':
      return clampTree({ ...s, filter: a.filter, treeCursor: 0, treeScroll: 0 });
    case 'scan/begin':
      return {
        ...s,
        scan: { ...emptyScan(), source: a.source, state: 'scanning', startedAt: a.at, total: a.size ?? 0 },
        map: new Uint8Array(MAP_BUCKETS),
        mapVersion: s.mapVersion + 1,
        files: [],
        fileIndex: new Map(),
        filesVersion: s.filesVersion + 1,
        selected: new Set(),
        collapsed: new Set(),
        treeCursor: 0,
        treeScroll: 0,
        previews: {},
        recover: null,
        output: pushOutput(s, `${fmtTime(a.at)} scanning ${a.source}`),
      };
    case 'scan/failed': {
      const st = addProblem(s, { severity: 'error', message: `scan failed: ${a.error}` });
      return { ...st, scan: { ...st.scan, state: 'failed', error: a.error, endedAt: a.at }, output: pushOutput(s, `scan failed: ${a.error}`) };
    }
    case 'recover/begin':
      return { ...s, recover: { out: a.out, state: 'running', wanted: a.wanted, written: 0, bytes: 0 }, output: pushOutput(s, `recovering ${a.wanted} files to ${a.out}`) };
    case 'recover/end': {
      if (!s.recover) return s;
      const r = { ...s.recover, state: a.state };
      const text = `${a.state === 'done' ? 'Recovered' : `Recovery ${a.state}:`} ${r.written} of ${r.wanted} files to ${r.out}`;
      return { ...s, recover: r, notice: { text, level: a.state === 'done' ? 'info' : 'error' }, output: pushOutput(s, text) };
    }
    case 'preview/set': {
      // Keep a handful of previews; they hold pixels.
      const keys = Object.keys(s.previews).filter((k) => k !== a.data.fileId).slice(-7);
      const previews: Record<string, PreviewData> = {};
      for (const k of keys) previews[k] = s.previews[k];
      previews[a.data.fileId] = a.data;
      return { ...s, previews };
    }
    case 'output':
      return { ...s, output: pushOutput(s, a.line) };
  }
}

/** Ids of a group's files that pass the filter. */
export function groupIds(s: State, key: string): string[] {
  // with every group open, so a collapsed group (or sub-folder) still gives its files
  const saved = s.collapsed.size ? { ...s, collapsed: new Set<string>() } : s;
  return rowsOf(saved)
    .filter((r): r is Extract<TreeRow, { kind: 'file' }> => r.kind === 'file' && inGroup(r.group, key))
    .map((r) => s.files[r.index].id);
}

/** Ids of every file that passes the filter (collapsed groups included). */
export function visibleIds(s: State): string[] {
  const open = s.collapsed.size ? { ...s, collapsed: new Set<string>() } : s;
  return rowsOf(open)
    .filter((r) => r.kind === 'file')
    .map((r) => s.files[(r as Extract<TreeRow, { kind: 'file' }>).index].id);
}

export function reduce(s: State, a: Action): State {
  if (a.type.includes('/') || a.type === 'output') return reduceUi(s, a as UiAction);
  return reduceEvent(s, a as RecoveryEvent);
}
