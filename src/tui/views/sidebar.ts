// The side bar: drives and images, the scan summary, the found-files tree, problems.
// Lists are virtual: only the rows in view are drawn, whatever the list's length.
import { BOLD, fit } from '../render/grid.ts';
import { formatBytes, formatRate } from '../format.ts';
import type { Layout, Rect } from '../state/layout.ts';
import { rowsOf, type State } from '../state/store.ts';
import { displayName } from '../state/tree.ts';
import { T, button, hit, type Ctx } from './theme.ts';
import { shortPath, wrap } from './util.ts';

const TITLES = { drives: 'DRIVES AND IMAGES', scan: 'SCAN', recovered: 'FOUND FILES', problems: 'PROBLEMS' };

export function drawSidebar(ctx: Ctx, s: State, l: Layout): void {
  const r = l.sidebar;
  const body = l.sidebarBody;
  if (!r || !body) return;
  const g = ctx.grid;
  g.fill(r.x, r.y, r.w, r.h, { fg: T.text, bg: T.sidebarBg });
  for (let y = r.y; y < r.y + r.h; y++) g.text(r.x + r.w - 1, y, '│', { fg: T.border, bg: T.sidebarBg });
  let title = TITLES[s.activity];
  if (s.activity === 'recovered') title += ` ${s.files.length}`;
  const focused = s.focus === 'sidebar';
  g.text(r.x + 1, r.y, title, { fg: focused ? T.bright : T.text, bg: T.sidebarBg, attr: BOLD }, r.w - 2);
  if (s.activity === 'recovered' && s.filter) {
    const f = ` /${s.filter}`;
    g.text(r.x + 1 + title.length, r.y, f, { fg: T.warn, bg: T.sidebarBg }, r.w - 3 - title.length);
  }
  const toolbarY = r.y + 1;
  const maxX = r.x + r.w - 1;
  if (s.activity === 'drives') {
    let x = r.x + 1;
    x += button(ctx, x, toolbarY, 'Open image…', 'drives.openImage', maxX) + 1;
    x += button(ctx, x, toolbarY, 'Demo', 'drives.openDemo', maxX) + 1;
    button(ctx, x, toolbarY, 'Scan', 'scan.start', maxX);
    drawDrives(ctx, s, body);
  } else if (s.activity === 'recovered') {
    let x = r.x + 1;
    x += button(ctx, x, toolbarY, s.grouping, 'files.grouping', maxX) + 1;
    x += button(ctx, x, toolbarY, '/', 'files.filter', maxX) + 1;
    x += button(ctx, x, toolbarY, 'Recover', 'files.recoverSelected', maxX) + 1;
    button(ctx, x, toolbarY, 'All', 'files.recoverAll', maxX);
    drawTree(ctx, s, body);
  } else if (s.activity === 'scan') {
    drawScanSummary(ctx, s, { x: r.x, y: toolbarY, w: body.w, h: body.h + 1 });
  } else {
    drawProblemList(ctx, s, body);
  }
}

function drawDrives(ctx: Ctx, s: State, body: Rect): void {
  const g = ctx.grid;
  if (!s.drives.length) {
    g.text(body.x + 1, body.y, 'Looking for drives…', { fg: T.dim, bg: T.sidebarBg }, body.w - 2);
    return;
  }
  // The details of the entry under the cursor take the bottom lines when there is room.
  const cur = s.drives[s.driveCursor];
  const detailLines = cur && body.h >= 10 ? wrap(cur.detail, body.w - 2).slice(0, 3) : [];
  const listH = body.h - (detailLines.length ? detailLines.length + 1 : 0);
  const end = Math.min(s.drives.length, s.driveScroll + listH);
  for (let i = s.driveScroll; i < end; i++) {
    const d = s.drives[i];
    const y = body.y + i - s.driveScroll;
    const active = i === s.driveCursor;
    const bg = active ? (s.focus === 'sidebar' ? T.cursorBg : T.inactiveCursorBg) : T.sidebarBg;
    const icon = d.kind === 'drive' ? '▰' : d.kind === 'demo' ? '★' : '▱';
    const size = d.size !== undefined ? formatBytes(d.size) : '';
    const nameW = body.w - 3 - size.length - 2;
    g.fill(body.x, y, body.w, 1, { bg });
    g.text(body.x + 1, y, icon, { fg: d.kind === 'demo' ? T.warn : T.accent, bg });
    g.text(body.x + 3, y, fit(d.label, Math.max(1, nameW)), { fg: active ? T.bright : T.text, bg });
    g.text(body.x + body.w - size.length - 1, y, size, { fg: T.dim, bg });
    hit(ctx, body.x, y, body.w, 'drives.click', i);
  }
  ctx.hits.push({ rect: { ...body, h: listH }, command: '', wheel: 'drives' });
  detailLines.forEach((line, i) => g.text(body.x + 1, body.y + listH + 1 + i, line, { fg: T.dim, bg: T.sidebarBg }, body.w - 2));
}

/** 47K, 1.2M, 3.4G: sizes that fit a narrow tree. */
export function shortSize(n: number): string {
  if (n < 1000) return `${n}B`;
  const units = ['K', 'M', 'G', 'T'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

const VERDICT_COLOR = { complete: T.ok, partial: T.warn };

export function drawTree(ctx: Ctx, s: State, body: Rect): void {
  const g = ctx.grid;
  const rows = rowsOf(s);
  if (!rows.length) {
    const msg = s.files.length ? 'Nothing matches the filter (Esc clears it).' : s.scan.state === 'scanning' ? 'Scanning…' : 'No files yet: scan a card first.';
    g.text(body.x + 1, body.y, msg, { fg: T.dim, bg: T.sidebarBg }, body.w - 2);
    return;
  }
  const end = Math.min(rows.length, s.treeScroll + body.h);
  for (let i = s.treeScroll; i < end; i++) {
    const row = rows[i];
    const y = body.y + i - s.treeScroll;
    const active = i === s.treeCursor;
    const bg = active ? (s.focus === 'sidebar' || s.focus === 'editor' ? T.cursorBg : T.inactiveCursorBg) : T.sidebarBg;
    g.fill(body.x, y, body.w, 1, { bg });
    // deep folders indent two columns a level, up to a limit that keeps names readable
    const indent = Math.min(row.depth, 6) * 2;
    if (row.kind === 'group') {
      const count = String(row.count);
      const gx = body.x + 1 + indent;
      g.text(gx, y, row.collapsed ? '▸' : '▾', { fg: T.text, bg });
      g.text(gx + 2, y, fit(row.label, Math.max(1, body.w - indent - 5 - count.length)), { fg: T.bright, bg, attr: BOLD });
      g.text(body.x + body.w - count.length - 1, y, count, { fg: T.dim, bg });
      hit(ctx, body.x, y, body.w, 'tree.click', i);
    } else {
      const f = s.files[row.index];
      const sel = s.selected.has(f.id);
      const size = shortSize(f.size);
      const bx = body.x + indent;
      g.text(bx, y, sel ? '[x]' : '[ ]', { fg: sel ? T.accent : T.dim, bg });
      hit(ctx, bx, y, 3, 'tree.check', i);
      g.text(bx + 4, y, '●', { fg: VERDICT_COLOR[f.verdict], bg });
      const nameW = Math.max(1, body.w - indent - 6 - size.length - 2);
      g.text(bx + 6, y, fit(displayName(f), nameW), { fg: active ? T.bright : T.text, bg });
      g.text(body.x + body.w - size.length - 1, y, size, { fg: T.dim, bg });
      hit(ctx, bx + 3, y, body.w - indent - 3, 'tree.click', i);
    }
  }
  ctx.hits.push({ rect: body, command: '', wheel: 'tree' });
}

function drawScanSummary(ctx: Ctx, s: State, r: Rect): void {
  const g = ctx.grid;
  const sc = s.scan;
  const bg = T.sidebarBg;
  const lines: [string, number][] = [];
  if (!sc.source) {
    lines.push(['No scan yet.', T.dim]);
    lines.push(['Pick a drive or image in', T.dim]);
    lines.push(['Drives (1) and press Enter.', T.dim]);
  } else {
    const pct = sc.total > 0 ? Math.floor((sc.done / sc.total) * 100) : 0;
    lines.push([shortPath(sc.source, r.w - 2), T.text]);
    const secs = (sc.endedAt - sc.startedAt) / 1000;
    const rate = sc.state === 'scanning' ? formatRate(sc.rate) : sc.state === 'done' && secs > 0 ? `avg ${formatRate(sc.total / secs)}` : '';
    lines.push([`${sc.state} ${pct}%  ${rate}`, T.text]);
    lines.push(['', T.text]);
    lines.push([`JPEG  ${sc.found.jpeg}`, T.text]);
    lines.push([`HEIC  ${sc.found.heic}`, T.text]);
    lines.push([`MP4   ${sc.found.mp4}`, T.text]);
    lines.push([`MOV   ${sc.found.mov}`, T.text]);
    lines.push(['', T.text]);
    lines.push([`complete ${sc.complete}`, T.ok]);
    lines.push([`partial ${sc.partial}`, T.warn]);
    lines.push([`unreadable ranges ${sc.unreadable}`, sc.unreadable ? T.err : T.dim]);
  }
  lines.forEach(([text, fg], i) => {
    if (i < r.h - 2) g.text(r.x + 1, r.y + i, text, { fg, bg }, r.w - 2);
  });
  const by = r.y + Math.min(lines.length + 1, r.h - 1);
  let x = r.x + 1;
  const maxX = r.x + r.w;
  if (sc.state === 'scanning' || sc.state === 'paused') {
    x += button(ctx, x, by, sc.state === 'paused' ? 'Resume' : 'Pause', 'scan.pauseResume', maxX) + 1;
    x += button(ctx, x, by, 'Cancel', 'scan.cancel', maxX) + 1;
  }
  button(ctx, x, by, 'Scan tab', 'view.scanTab', maxX);
}

function drawProblemList(ctx: Ctx, s: State, body: Rect): void {
  const g = ctx.grid;
  if (!s.problems.length) {
    g.text(body.x + 1, body.y, 'No problems.', { fg: T.dim, bg: T.sidebarBg });
    return;
  }
  const start = Math.max(0, Math.min(s.problemCursor - body.h + 1, s.problems.length - body.h));
  for (let i = Math.max(0, start); i < Math.min(s.problems.length, start + body.h); i++) {
    const p = s.problems[i];
    const y = body.y + i - Math.max(0, start);
    const active = i === s.problemCursor;
    const bg = active ? T.cursorBg : T.sidebarBg;
    g.fill(body.x, y, body.w, 1, { bg });
    g.text(body.x + 1, y, '⚠', { fg: p.severity === 'error' ? T.err : T.warn, bg });
    g.text(body.x + 3, y, p.message, { fg: T.text, bg }, body.w - 4);
    hit(ctx, body.x, y, body.w, 'problems.click', i);
  }
}
