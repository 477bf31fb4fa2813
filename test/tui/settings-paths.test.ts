// Settings in $XDG_CONFIG_HOME and Tab completion of paths.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completePath } from '../../src/tui/paths.ts';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, settingsPath } from '../../src/tui/settings.ts';
import { tmpDir } from '../e2e/helpers/dashboard.ts';

const work = tmpDir('pr-tui-settings-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('settings', () => {
  it('lives in $XDG_CONFIG_HOME/photorescue, else ~/.config', () => {
    expect(settingsPath({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/photorescue/settings.json');
    expect(settingsPath({})).toMatch(/\/\.config\/photorescue\/settings\.json$/);
    expect(settingsPath({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\//); // the spec says absolute only
  });

  it('saves and loads, and survives a broken file', () => {
    const file = path.join(work, 'a', 'photorescue', 'settings.json');
    expect(loadSettings(file)).toEqual(DEFAULT_SETTINGS);
    saveSettings({ ...DEFAULT_SETTINGS, recentImages: ['/img/a.img'], grouping: 'date', panelVisible: false }, file);
    expect(loadSettings(file)).toMatchObject({ recentImages: ['/img/a.img'], grouping: 'date', panelVisible: false });
    fs.writeFileSync(file, '{ not json');
    expect(loadSettings(file)).toEqual(DEFAULT_SETTINGS);
    fs.writeFileSync(file, JSON.stringify({ grouping: 'colour', recentImages: [1, '/ok.img'] }));
    expect(loadSettings(file)).toMatchObject({ grouping: 'folder', recentImages: ['/ok.img'] });
  });
});

describe('path completion', () => {
  const dir = path.join(work, 'tree');
  fs.mkdirSync(path.join(dir, 'cards'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'card-a.img'), '');
  fs.writeFileSync(path.join(dir, 'card-b.img'), '');
  fs.writeFileSync(path.join(dir, 'other.bin'), '');
  fs.writeFileSync(path.join(dir, '.hidden'), '');

  it('completes a single match, adding / after a folder', () => {
    expect(completePath(`${dir}/oth`)).toEqual({ value: `${dir}/other.bin`, candidates: [] });
    expect(completePath(`${dir}/cards`)).toEqual({ value: `${dir}/cards/`, candidates: [] });
  });

  it('completes the common part of several and lists them', () => {
    const c = completePath(`${dir}/car`);
    expect(c.value).toBe(`${dir}/card`);
    expect(c.candidates).toEqual(['card-a.img', 'card-b.img', 'cards/']);
  });

  it('works relative to the working folder and hides dot files unless asked', () => {
    expect(completePath('tree/o', work).value).toBe('tree/other.bin');
    expect(completePath(`${dir}/`).candidates).not.toContain('.hidden');
    expect(completePath(`${dir}/.h`).value).toBe(`${dir}/.hidden`);
    expect(completePath('/no/such/dir/x')).toEqual({ value: '/no/such/dir/x', candidates: [] });
  });
});
