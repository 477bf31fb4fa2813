// Where each part of the workbench sits for a screen size. Pure: the reducer uses it to keep
// list cursors visible, the views to draw, the mouse to know what was clicked.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  cols: number;
  rows: number;
  activity: Rect;
  sidebar: Rect | null;
  /** Sidebar body: below its one-row title and its toolbar row. */
  sidebarBody: Rect | null;
  tabs: Rect;
  editor: Rect;
  panel: Rect | null;
  panelBody: Rect | null;
  status: Rect;
}

export const ACTIVITY_WIDTH = 3;

export function computeLayout(cols: number, rows: number, sidebarVisible: boolean, panelVisible: boolean): Layout {
  cols = Math.max(20, cols);
  rows = Math.max(8, rows);
  const mainH = rows - 1;
  const activity = { x: 0, y: 0, w: ACTIVITY_WIDTH, h: mainH };
  let x = ACTIVITY_WIDTH;
  let sidebar: Rect | null = null;
  let sidebarBody: Rect | null = null;
  if (sidebarVisible) {
    const sw = Math.max(30, Math.min(48, Math.floor(cols * 0.34)));
    sidebar = { x, y: 0, w: sw, h: mainH };
    // title row + toolbar row; the last column is the border
    sidebarBody = { x, y: 2, w: sw - 1, h: Math.max(1, mainH - 2) };
    x += sw;
  }
  const rightW = cols - x;
  let panel: Rect | null = null;
  let panelBody: Rect | null = null;
  let editorH = mainH;
  if (panelVisible) {
    const ph = Math.max(4, Math.min(12, Math.floor(mainH * 0.25)));
    panel = { x, y: mainH - ph, w: rightW, h: ph };
    panelBody = { x, y: mainH - ph + 1, w: rightW, h: ph - 1 };
    editorH = mainH - ph;
  }
  const tabs = { x, y: 0, w: rightW, h: 1 };
  const editor = { x, y: 1, w: rightW, h: Math.max(1, editorH - 1) };
  const status = { x: 0, y: rows - 1, w: cols, h: 1 };
  return { cols, rows, activity, sidebar, sidebarBody, tabs, editor, panel, panelBody, status };
}

export function inRect(r: Rect | null, x: number, y: number): boolean {
  return !!r && x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
