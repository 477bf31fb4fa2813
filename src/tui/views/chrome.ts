// The frame of the workbench: activity bar, editor tabs, bottom panel and status bar.
import { BOLD, fit } from '../render/grid.ts';
import { eta, formatDuration, formatRate } from '../format.ts';
import type { Layout } from '../state/layout.ts';
import type { Activity, State } from '../state/store.ts';
import { T, hit, type Ctx } from './theme.ts';
import { basename } from './util.ts';

const ACTIVITY_ICONS: { id: Activity; icon: string; command: string }[] = [
  { id: 'drives', icon: '▣', command: 'view.drives' },
  { id: 'scan', icon: '◎', command: 'view.scan' },
  { id: 'recovered', icon: '▤', command: 'view.recovered' },
  { id: 'problems', icon: '⚠', command: 'view.problems' },
];

export function drawActivityBar(ctx: Ctx, s: State, l: Layout): void {
  const r = l.activity;
  ctx.grid.fill(r.x, r.y, r.w, r.h, { bg: T.activityBg });
  ACTIVITY_ICONS.forEach((a, i) => {
    const y = r.y + i * 2;
    if (y >= r.y + r.h) return;
    const active = s.activity === a.id && s.sidebarVisible;
    ctx.grid.text(r.x, y, active ? '▌' : ' ', { fg: T.bright, bg: T.activityBg });
    ctx.grid.text(r.x + 1, y, a.icon, { fg: active ? T.bright : T.activityFg, bg: T.activityBg, attr: active ? BOLD : 0 });
    if (a.id === 'problems' && s.problems.length) ctx.grid.text(r.x + 2, y, '•', { fg: T.err, bg: T.activityBg });
    hit(ctx, r.x, y, r.w, a.command);
  });
}

export function drawTabs(ctx: Ctx, s: State, l: Layout): void {
  const r = l.tabs;
  ctx.grid.fill(r.x, r.y, r.w, 1, { bg: T.tabBg });
  let x = r.x;
  for (const t of s.tabs) {
    const active = t.id === s.activeTab;
    const bg = active ? T.tabActiveBg : T.tabBg;
    const title = fit(t.title, Math.min(24, Math.max(6, t.title.length)));
    const label = ` ${title} `;
    if (x + label.length + 2 > r.x + r.w) {
      ctx.grid.text(x, r.y, '»', { fg: T.dim, bg: T.tabBg });
      break;
    }
    ctx.grid.text(x, r.y, label, { fg: active ? T.bright : T.dim, bg, attr: active && s.focus === 'editor' ? BOLD : 0 });
    hit(ctx, x, r.y, label.length, 'tab.activate', t.id);
    x += label.length;
    ctx.grid.text(x, r.y, '×', { fg: active ? T.text : T.dim, bg });
    hit(ctx, x, r.y, 1, 'tab.close', t.id);
    x += 1;
    ctx.grid.text(x, r.y, '│', { fg: T.border, bg: T.tabBg });
    x += 1;
  }
}

export function drawPanel(ctx: Ctx, s: State, l: Layout): void {
  if (!l.panel || !l.panelBody) return;
  const r = l.panel;
  const g = ctx.grid;
  g.fill(r.x, r.y, r.w, r.h, { bg: T.editorBg });
  g.fill(r.x, r.y, r.w, 1, { bg: T.editorBg });
  g.text(r.x, r.y, '─'.repeat(Math.max(0, r.w)), { fg: T.border, bg: T.editorBg });
  let x = r.x + 1;
  const tabs: [string, 'output' | 'problems', string][] = [
    ['OUTPUT', 'output', 'view.output'],
    [`PROBLEMS${s.problems.length ? ` ${s.problems.length}` : ''}`, 'problems', 'view.problemsPanel'],
  ];
  for (const [label, id, cmd] of tabs) {
    const active = s.panelTab === id;
    const w = g.text(x, r.y, ` ${label} `, { fg: active ? T.bright : T.dim, bg: T.editorBg, attr: active ? BOLD : 0 });
    if (active) g.text(x + 1, r.y, label, { fg: T.bright, bg: T.editorBg, attr: 2 | 1 });
    hit(ctx, x, r.y, w, cmd);
    x += w + 1;
  }
  g.text(r.x + r.w - 2, r.y, '×', { fg: T.dim, bg: T.editorBg });
  hit(ctx, r.x + r.w - 2, r.y, 1, 'view.togglePanel');
  const b = l.panelBody;
  ctx.hits.push({ rect: b, command: '', wheel: 'panel' });
  const window = <T,>(list: T[]) => list.slice(Math.max(0, list.length - b.h - s.panelScroll), Math.max(0, list.length - s.panelScroll));
  if (s.panelScroll > 0) g.text(r.x + r.w - 14, r.y, ` ↑ ${s.panelScroll} `, { fg: T.warn, bg: T.editorBg });
  if (s.panelTab === 'output') {
    const lines = window(s.output);
    lines.forEach((line, i) => g.text(b.x + 1, b.y + i, line, { fg: T.text, bg: T.editorBg }, b.w - 2));
    if (!lines.length) g.text(b.x + 1, b.y, 'Nothing yet.', { fg: T.dim, bg: T.editorBg }, b.w - 2);
  } else {
    const list = window(s.problems);
    list.forEach((p, i) => {
      const color = p.severity === 'error' ? T.err : p.severity === 'warning' ? T.warn : T.accent;
      g.text(b.x + 1, b.y + i, p.severity === 'info' ? 'ℹ' : '⚠', { fg: color, bg: T.editorBg });
      g.text(b.x + 3, b.y + i, p.message, { fg: T.text, bg: T.editorBg }, b.w - 4);
    });
    if (!list.length) g.text(b.x + 1, b.y, 'No problems.', { fg: T.dim, bg: T.editorBg }, b.w - 2);
  }
}

/** Status bar parts, each with how readily it gives way to a notice (higher goes first). */
export function statusSegments(s: State): { text: string; drop: number }[] {
  const sc = s.scan;
  const segs: { text: string; drop: number }[] = [];
  segs.push({ text: sc.source ? basename(sc.source) : 'no source', drop: 2 });
  const pct = sc.total > 0 ? Math.floor((sc.done / sc.total) * 100) : 0;
  const state = s.recover?.state === 'running' ? `recovering ${s.recover.written}/${s.recover.wanted}` : sc.state === 'scanning' ? `scanning ${pct}%` : sc.state;
  segs.push({ text: state, drop: 0 });
  if (sc.state === 'scanning' || sc.state === 'paused') segs.push({ text: formatRate(sc.state === 'scanning' ? sc.rate : 0), drop: 4 });
  else if (sc.state === 'done' && sc.endedAt > sc.startedAt) segs.push({ text: `avg ${formatRate((sc.total * 1000) / (sc.endedAt - sc.startedAt))}`, drop: 4 });
  const f = sc.found;
  segs.push({ text: `JPEG ${f.jpeg} HEIC ${f.heic} MP4 ${f.mp4} MOV ${f.mov}`, drop: 1 });
  if (sc.state === 'scanning') segs.push({ text: `ETA ${formatDuration(eta(sc.done, sc.total, sc.rate))}`, drop: 3 });
  if (s.selected.size) segs.push({ text: `${s.selected.size} selected`, drop: 0 });
  return segs;
}

export function drawStatusBar(ctx: Ctx, s: State, l: Layout): void {
  const r = l.status;
  const g = ctx.grid;
  const err = s.notice?.level === 'error';
  g.fill(r.x, r.y, r.w, 1, { fg: T.statusFg, bg: T.statusBg });
  let segs = statusSegments(s);
  const noticeText = s.notice ? ` ${err ? '✖' : 'ℹ'} ${s.notice.text} ` : '';
  const width = (list: typeof segs) => list.reduce((n, x, i) => n + x.text.length + (i ? 3 : 0), 1);
  // A notice gets at least 30 columns (or its length): the least useful parts make way.
  const want = Math.min(noticeText.length, 30);
  while (noticeText && width(segs) + want + 1 > r.w && segs.some((x) => x.drop > 0)) {
    const worst = Math.max(...segs.map((x) => x.drop));
    const i = segs.findIndex((x) => x.drop === worst);
    segs = segs.filter((_, j) => j !== i);
  }
  let x = r.x + 1;
  segs.forEach((seg, i) => {
    if (i) x += g.text(x, r.y, ' │ ', { fg: T.statusFg, bg: T.statusBg });
    x += g.text(x, r.y, seg.text, { fg: T.statusFg, bg: T.statusBg }, r.w - x - 1);
  });
  hit(ctx, r.x, r.y, Math.min(x, r.w), 'view.scanTab');
  if (noticeText) {
    const room = Math.max(want, r.w - x - 1);
    const w = Math.min(noticeText.length, room);
    const nx = r.x + r.w - w;
    g.text(nx, r.y, fit(noticeText, w), { fg: T.statusFg, bg: err ? T.statusErrBg : T.statusBg, attr: BOLD });
    hit(ctx, nx, r.y, w, err ? 'view.problemsPanel' : 'workbench.escape');
  } else {
    const help = r.w >= 90 ? ' Ctrl+P commands  ? keys ' : ' ? keys ';
    if (x + help.length < r.w) g.text(r.x + r.w - help.length, r.y, help, { fg: T.statusFg, bg: T.statusBg });
    hit(ctx, r.x + r.w - help.length, r.y, help.length, 'workbench.palette');
  }
}
