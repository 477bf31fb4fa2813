// Settings and recent images, kept in $XDG_CONFIG_HOME/photorescue/settings.json
// (~/.config when XDG_CONFIG_HOME is unset). A broken file is ignored, never fatal.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { GROUPINGS, type Grouping } from './state/tree.ts';

export interface Settings {
  recentImages: string[];
  grouping: Grouping;
  sidebarVisible: boolean;
  panelVisible: boolean;
  /** 'auto' decides from the terminal; 'blocks' forces half-block pictures. */
  graphics: 'auto' | 'blocks';
  lastOutDir?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  recentImages: [],
  grouping: 'folder',
  sidebarVisible: true,
  panelVisible: true,
  graphics: 'auto',
};

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'photorescue', 'settings.json');
}

export function loadSettings(path = settingsPath()): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const s: Settings = { ...DEFAULT_SETTINGS };
  if (Array.isArray(o.recentImages)) s.recentImages = o.recentImages.filter((p): p is string => typeof p === 'string').slice(0, 10);
  if (GROUPINGS.includes(o.grouping as Grouping)) s.grouping = o.grouping as Grouping;
  if (typeof o.sidebarVisible === 'boolean') s.sidebarVisible = o.sidebarVisible;
  if (typeof o.panelVisible === 'boolean') s.panelVisible = o.panelVisible;
  if (o.graphics === 'blocks' || o.graphics === 'auto') s.graphics = o.graphics;
  if (typeof o.lastOutDir === 'string') s.lastOutDir = o.lastOutDir;
  return s;
}

/** Write atomically (temp file + rename) so a crash never leaves half a settings file. */
export function saveSettings(s: Settings, path = settingsPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n');
  renameSync(tmp, path);
}
