// The editor area: Welcome, the Scan tab (progress, throughput, counts, map of the medium)
// and the Preview tab (image, metadata, hex).
import type { FoundFile } from '../../core/types.ts';
import { BOLD, UNDERLINE, fit } from '../render/grid.ts';
import { eta, formatBytes, formatDuration, formatRate, sparkline } from '../format.ts';
import type { Layout, Rect } from '../state/layout.ts';
import { sampleMap, CELL_INTACT, CELL_PARTIAL, CELL_UNREADABLE } from '../state/scanmap.ts';
import type { PreviewData, PreviewImage, State } from '../state/store.ts';
import { displayName, folderOf } from '../state/tree.ts';
import { T, button, hit, type Ctx } from './theme.ts';
import { shortPath, wrap } from './util.ts';

export interface ImagePlacement {
  rect: Rect;
  fileId: string;
}

export function drawEditor(ctx: Ctx & { images: ImagePlacement[] }, s: State, l: Layout): void {
  const r = l.editor;
  ctx.grid.fill(r.x, r.y, r.w, r.h, { fg: T.text, bg: T.editorBg });
  const tab = s.tabs.find((t) => t.id === s.activeTab);
  if (!tab) {
    ctx.grid.text(r.x + 2, r.y + 1, 'No open tab. Ctrl+P for commands.', { fg: T.dim, bg: T.editorBg }, r.w - 4);
    return;
  }
  if (tab.kind === 'welcome') drawWelcome(ctx, s, r);
  else if (tab.kind === 'scan') drawScanTab(ctx, s, r);
  else if (tab.kind === 'preview' && tab.fileId) drawPreview(ctx, s, r, tab.fileId);
}

function drawWelcome(ctx: Ctx, s: State, r: Rect): void {
  const g = ctx.grid;
  const bg = T.editorBg;
  let y = r.y + 1;
  const x = r.x + 2;
  const w = r.w - 4;
  const end = r.y + r.h;
  const para = (text: string, fg: number, indent = 0) => {
    for (const line of wrap(text, w - indent)) if (y < end) g.text(x + indent, y++, line, { fg, bg }, w - indent);
  };
  g.text(x, y++, 'photorescue', { fg: T.bright, bg, attr: BOLD }, w);
  para('Get deleted photos and videos back from SD cards and disk images. Nothing is ever written to the card.', T.dim);
  y++;
  para('1. Pick a card or an image on the left and press Enter.', T.text);
  para('2. Found files appear on the left while it scans.', T.text);
  para('3. Enter previews a file, Space selects, r recovers.', T.text);
  y++;
  if (y < end) {
    let bx = x;
    bx += button(ctx, bx, y, 'Try the demo card', 'drives.openDemo', r.x + r.w) + 2;
    bx += button(ctx, bx, y, 'Open image…', 'drives.openImage', r.x + r.w) + 2;
    button(ctx, bx, y, 'Commands', 'workbench.palette', r.x + r.w);
    y += 2;
  }
  para('Ctrl+P or F1: commands · ?: keys · F9 or Alt+B: side bar · q: quit', T.dim);
  if (s.recentImages.length && y + 1 < r.y + r.h) {
    y++;
    g.text(x, y++, 'Recent images', { fg: T.bright, bg, attr: BOLD }, w);
    s.recentImages.slice(0, Math.max(0, r.y + r.h - y)).forEach((p, i) => {
      g.text(x + 2, y, shortPath(p, w - 2), { fg: T.accent, bg, attr: UNDERLINE }, w - 2);
      hit(ctx, x + 2, y++, Math.min(w - 2, p.length), 'recent.open', i);
    });
  }
}

const MAP_COLORS: Record<number, number> = { [CELL_INTACT]: T.ok, [CELL_PARTIAL]: T.warn, [CELL_UNREADABLE]: T.err };

function drawScanTab(ctx: Ctx, s: State, r: Rect): void {
  const g = ctx.grid;
  const bg = T.editorBg;
  const sc = s.scan;
  const x = r.x + 2;
  const w = r.w - 4;
  let y = r.y + 1;
  if (!sc.source) {
    g.text(x, y, 'No scan yet. Pick a drive or image (1) and press Enter.', { fg: T.dim, bg }, w);
    return;
  }
  const pct = sc.total > 0 ? Math.min(100, (sc.done / sc.total) * 100) : 0;
  g.text(x, y++, `${shortPath(sc.source, Math.max(10, w - 14))}  ${formatBytes(sc.total)}`, { fg: T.bright, bg, attr: BOLD }, w);
  const left = sc.state === 'scanning' ? `ETA ${formatDuration(eta(sc.done, sc.total, sc.rate))}` : sc.state === 'done' ? `took ${formatDuration((sc.endedAt - sc.startedAt) / 1000)}` : '';
  const secs = (sc.endedAt - sc.startedAt) / 1000;
  const rate = sc.state === 'scanning' ? formatRate(sc.rate) : sc.state === 'done' && secs > 0 ? `avg ${formatRate(sc.total / secs)}` : '';
  g.text(x, y++, `${sc.state.toUpperCase()}  ${pct.toFixed(0)}%  ${rate}  ${left}`, { fg: sc.state === 'failed' ? T.err : T.text, bg }, w);
  // progress bar
  const barW = Math.max(4, w);
  const filled = Math.round((pct / 100) * barW);
  g.text(x, y, '█'.repeat(Math.max(0, filled)), { fg: T.accent, bg });
  g.text(x + filled, y++, '░'.repeat(Math.max(0, barW - filled)), { fg: T.border, bg });
  if (y < r.y + r.h) {
    const label = 'throughput ';
    g.text(x, y, label, { fg: T.dim, bg });
    g.text(x + label.length, y++, sparkline(sc.rates, w - label.length), { fg: T.accent, bg });
  }
  if (y < r.y + r.h) {
    const f = sc.found;
    const counts = `JPEG ${f.jpeg}  HEIC ${f.heic}  MP4 ${f.mp4}  MOV ${f.mov}   complete ${sc.complete}  partial ${sc.partial}`;
    g.text(x, y++, counts, { fg: T.text, bg }, w);
  }
  if (y < r.y + r.h) {
    let bx = x;
    if (sc.state === 'scanning' || sc.state === 'paused') {
      bx += button(ctx, bx, y, sc.state === 'paused' ? 'Resume' : 'Pause', 'scan.pauseResume', r.x + r.w) + 1;
      bx += button(ctx, bx, y, 'Cancel', 'scan.cancel', r.x + r.w) + 1;
    }
    bx += button(ctx, bx, y, 'Show files', 'view.recovered', r.x + r.w) + 1;
    if (sc.state !== 'scanning' && sc.state !== 'paused') button(ctx, bx, y, 'Scan again', 'scan.rescan', r.x + r.w);
    y += 1;
  }
  if (s.recover && y < r.y + r.h) {
    const rc = s.recover;
    const verb = rc.state === 'running' ? 'Recovering' : rc.state === 'done' ? 'Recovered' : `Recovery ${rc.state}:`;
    const line = `${verb} ${rc.written}/${rc.wanted} files (${formatBytes(rc.bytes)}) to ${rc.out}`;
    g.text(x, y++, line, { fg: rc.state === 'failed' ? T.err : rc.state === 'done' ? T.ok : T.text, bg }, w);
  }
  if (y + 2 >= r.y + r.h) return;
  y++;
  // legend + map
  let lx = x;
  g.text(lx, y, 'map ', { fg: T.dim, bg });
  lx += 4;
  for (const [label, color] of [['intact', T.ok], ['partial', T.warn], ['unreadable', T.err], ['scanned', T.mapEmpty]] as const) {
    if (lx + label.length + 3 > x + w) break;
    g.text(lx, y, '■', { fg: color, bg });
    lx += 2 + g.text(lx + 2, y, label, { fg: T.dim, bg }) + 1;
  }
  y++;
  const mapH = r.y + r.h - y;
  const cells = mapH * w;
  if (cells <= 0) return;
  const sampled = sampleMap(s.map, cells);
  const scannedCells = sc.total > 0 ? Math.floor((sc.done / sc.total) * cells) : 0;
  for (let i = 0; i < cells; i++) {
    const cx = x + (i % w);
    const cy = y + Math.floor(i / w);
    const v = sampled[i];
    if (v) g.cell(cx, cy, '█', MAP_COLORS[v], bg);
    else if (i < scannedCells || sc.state === 'done') g.cell(cx, cy, '·', T.mapEmpty, bg);
    else g.cell(cx, cy, '░', T.mapUnscanned, bg);
  }
}

/** 2024-01-01T10:07:12.000+01:00 -> 2024-01-01 10:07:12 (the zone is rarely known on FAT). */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace(/(Z|[+-]\d\d:?\d\d)$/, '');
}

/** Metadata rows for a found file: what the engine knows, then what the file itself says. */
export function fileFacts(f: FoundFile): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['Name', displayName(f) + (f.original?.nameInferred ? ' (name guessed)' : '')]);
  rows.push(['Folder', folderOf(f)]);
  rows.push(['Type', `${f.format.toUpperCase()} (.${f.ext})`]);
  rows.push(['Size', `${formatBytes(f.size)} (${f.size} bytes)`]);
  rows.push(['Found by', f.foundBy]);
  rows.push(['State', f.verdict + (f.reason ? `: ${f.reason}` : '')]);
  if (f.original) {
    rows.push(['On card', f.original.state]);
    if (f.original.modified) rows.push(['Modified', shortTime(f.original.modified)]);
    if (f.original.created) rows.push(['Created', shortTime(f.original.created)]);
  }
  const ex = f.extents.slice(0, 3).map((e) => `${e.offset}+${e.length}`).join(', ');
  rows.push(['Extents', `${f.extents.length}: ${ex}${f.extents.length > 3 ? ', …' : ''}`]);
  return rows;
}

function drawPreview(ctx: Ctx & { images: ImagePlacement[] }, s: State, r: Rect, fileId: string): void {
  const g = ctx.grid;
  const bg = T.editorBg;
  const idx = s.fileIndex.get(fileId);
  const f = idx !== undefined ? s.files[idx] : undefined;
  if (!f) {
    g.text(r.x + 2, r.y + 1, 'This file is no longer in the list.', { fg: T.dim, bg }, r.w - 4);
    return;
  }
  const p: PreviewData | undefined = s.previews[fileId];
  // Hex at the bottom when there is height; picture left and facts right when there is width.
  const hexRows = r.h >= 14 ? Math.min(6, Math.floor(r.h / 4)) : 0;
  const top = { x: r.x, y: r.y, w: r.w, h: r.h - (hexRows ? hexRows + 1 : 0) };
  const side = top.w >= 44;
  const factW = Math.min(44, Math.max(24, Math.floor(top.w * 0.5)));
  const imgRect: Rect = side
    ? { x: top.x + 1, y: top.y, w: top.w - factW - 3, h: top.h }
    : { x: top.x + 1, y: top.y, w: top.w - 2, h: Math.max(3, Math.floor(top.h / 2)) };
  const factRect: Rect = side
    ? { x: imgRect.x + imgRect.w + 2, y: top.y, w: factW, h: top.h }
    : { x: top.x + 1, y: imgRect.y + imgRect.h + 1, w: top.w - 2, h: top.h - imgRect.h - 1 };

  if (!p || p.status === 'loading') {
    g.text(imgRect.x + 1, imgRect.y + 1, 'decoding…', { fg: T.dim, bg }, imgRect.w - 2);
  } else if (p.status === 'error') {
    g.text(imgRect.x + 1, imgRect.y + 1, `no preview: ${p.error ?? 'unknown error'}`, { fg: T.warn, bg }, imgRect.w - 2);
  } else if (p.image) {
    const placed = drawImage(g, p.image, imgRect);
    ctx.images.push({ rect: placed, fileId });
  } else {
    g.text(imgRect.x + 1, imgRect.y + 1, 'no picture for this type (video)', { fg: T.dim, bg }, imgRect.w - 2);
  }

  const facts = [...fileFacts(f), ...(p?.meta ?? [])];
  const labelW = 8;
  facts.slice(0, factRect.h).forEach(([k, v], i) => {
    g.text(factRect.x, factRect.y + i, k, { fg: T.dim, bg }, labelW);
    g.text(factRect.x + labelW + 1, factRect.y + i, v, { fg: T.text, bg }, factRect.w - labelW - 1);
  });

  if (hexRows && p?.hex) {
    const hy = r.y + r.h - hexRows;
    g.text(r.x + 1, hy - 1, '─'.repeat(Math.max(0, r.w - 2)), { fg: T.border, bg });
    g.text(r.x + 2, hy - 1, ' first bytes ', { fg: T.dim, bg });
    const perRow = r.w >= 78 ? 16 : 8;
    for (let row = 0; row < hexRows; row++) {
      const off = row * perRow;
      if (off >= p.hex.length) break;
      const bytes = p.hex.subarray(off, off + perRow);
      const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const ascii = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      const line = `${off.toString(16).padStart(6, '0')}  ${hex.padEnd(perRow * 3)} ${ascii}`;
      g.text(r.x + 2, hy + row, fit(line, r.w - 3), { fg: T.text, bg });
    }
  }
}

/** Draw an RGB picture with half blocks (▀: top pixel in fg, bottom pixel in bg), fit and centred. */
export function drawImage(g: Ctx['grid'], img: PreviewImage, box: Rect): Rect {
  if (box.w <= 0 || box.h <= 0 || img.width <= 0 || img.height <= 0) return { ...box, w: 0, h: 0 };
  // Cells are about twice as tall as wide; a half block is a square pixel.
  const scale = Math.min(box.w / img.width, (box.h * 2) / img.height);
  const pw = Math.max(1, Math.round(img.width * scale));
  const ph = Math.max(2, Math.round(img.height * scale));
  const cw = Math.min(box.w, pw);
  const ch = Math.min(box.h, Math.ceil(ph / 2));
  const ox = box.x + Math.floor((box.w - cw) / 2);
  const oy = box.y + Math.floor((box.h - ch) / 2);
  const sample = (px: number, py: number): number => {
    // box-average the source pixels under this output pixel
    const x0 = Math.floor((px / pw) * img.width);
    const x1 = Math.max(x0 + 1, Math.floor(((px + 1) / pw) * img.width));
    const y0 = Math.floor((py / ph) * img.height);
    const y1 = Math.max(y0 + 1, Math.floor(((py + 1) / ph) * img.height));
    let r = 0;
    let gg = 0;
    let b = 0;
    let n = 0;
    for (let y = y0; y < Math.min(y1, img.height); y++) {
      for (let x = x0; x < Math.min(x1, img.width); x++) {
        const i = (y * img.width + x) * 3;
        r += img.rgb[i];
        gg += img.rgb[i + 1];
        b += img.rgb[i + 2];
        n++;
      }
    }
    if (!n) return 0;
    return (Math.round(r / n) << 16) | (Math.round(gg / n) << 8) | Math.round(b / n);
  };
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const top = sample(cx, cy * 2);
      const bottom = cy * 2 + 1 < ph ? sample(cx, cy * 2 + 1) : T.editorBg;
      g.cell(ox + cx, oy + cy, '▀', top, bottom);
    }
  }
  return { x: ox, y: oy, w: cw, h: ch };
}
