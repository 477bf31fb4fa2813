// The Drives view's order and details: removable cards first, then the demo card, recent
// images and fixed disks; models, sizes, partitions and mounts in the detail line.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { driveEntries, type DriveInfo } from '../../src/tui/drive-list.ts';
import { DEMO, sha256File } from '../e2e/helpers/dashboard.ts';

const disk = (over: Partial<DriveInfo>): DriveInfo => ({
  path: '/dev/sda',
  model: 'Samsung SSD',
  size: 500e9,
  removable: false,
  kind: 'disk',
  partitions: [],
  mountpoints: [],
  ...over,
});

describe('drive list', () => {
  it('puts removable cards first, then the demo card, recent images and fixed disks', () => {
    const drives = [
      disk({}),
      disk({
        path: '/dev/sdb',
        model: 'SanDisk Ultra',
        size: 32e9,
        removable: true,
        partitions: [{ path: '/dev/sdb1', size: 32e9, fstype: 'vfat', label: 'CANON', mountpoint: '/media/card' }],
      }),
    ];
    const recent = path.join(path.dirname(DEMO), 'fat16-small.img');
    const before = [sha256File(DEMO), sha256File(recent)];
    const e = driveEntries(drives, DEMO, [recent, DEMO, '/no/such.img']);
    expect([sha256File(DEMO), sha256File(recent)]).toEqual(before); // looking at partitions writes nothing
    expect(e.map((d) => `${d.kind}:${d.label}`)).toEqual([
      'drive:SanDisk Ultra (sdb)',
      'demo:Demo card',
      'image:fat16-small.img',
      'image:such.img',
      'drive:Samsung SSD (sda)',
    ]);
    expect(e[0].detail).toContain('removable');
    expect(e[0].detail).toContain('sdb1 vfat "CANON" mounted at /media/card');
    expect(e[1].size).toBe(69206016);
    expect(e[1].detail).toMatch(/p\d fat32 "EOS_DIGITAL"/); // what the engine sees in the demo card
    expect(e[3].detail).toContain('(missing)');
  });

  it('says how to build the demo card when it is not there', () => {
    const [demo] = driveEntries([], '/nonexistent/demo.img', []);
    expect(demo.size).toBeUndefined();
    expect(demo.detail).toContain('npm run fixtures');
  });
});
