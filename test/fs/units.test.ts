// The small pure parts: name guessing, timestamps, the LFN checksum, trash records, CRC32.
import { describe, expect, it } from 'vitest';
import { firstByteFromChecksum, shortNameChecksum } from '../../src/fs/fatdir.ts';
import { inferFirstChar } from '../../src/fs/names.ts';
import { crc32 } from '../../src/fs/partitions.ts';
import { exfatDateTime, fatDate, fatDateTime, fileTime } from '../../src/fs/times.ts';
import { parseRecycleRecord, parseTrashInfo } from '../../src/fs/trash.ts';

describe('inferFirstChar', () => {
  it('takes the first character its siblings share', () => {
    expect(inferFirstChar('MG_0101.JPG', ['IMG_0100.JPG', 'IMG_0102.JPG'])).toEqual({ name: 'IMG_0101.JPG', inferred: true });
    expect(inferFirstChar('01CANON', ['100CANON'])).toEqual({ name: '101CANON', inferred: true });
    // Canon's Adobe RGB files really start with '_': the folder says so.
    expect(inferFirstChar('MG_0005.JPG', ['_MG_0004.JPG', '_MG_0006.JPG']).name).toBe('_MG_0005.JPG');
  });
  it('falls back to camera prefixes', () => {
    expect(inferFirstChar('SC_0042.JPG', []).name).toBe('DSC_0042.JPG');
    expect(inferFirstChar('SCN0042.JPG', []).name).toBe('DSCN0042.JPG');
    expect(inferFirstChar('SCF0042.JPG', []).name).toBe('DSCF0042.JPG');
    expect(inferFirstChar('1000123.JPG', []).name).toBe('P1000123.JPG');
    expect(inferFirstChar('OPR0001.MP4', []).name).toBe('GOPR0001.MP4');
    expect(inferFirstChar('VI_0001.MOV', []).name).toBe('MVI_0001.MOV');
    expect(inferFirstChar('ID_0001.MP4', []).name).toBe('VID_0001.MP4');
  });
  it('uses "_" when nothing fits, and always says it guessed', () => {
    expect(inferFirstChar('XYZ.TXT', ['ABC.TXT'])).toEqual({ name: '_XYZ.TXT', inferred: true });
  });
  it('keeps a lower-case name lower case', () => {
    expect(inferFirstChar('mg_0101.jpg', ['img_0100.jpg']).name).toBe('img_0101.jpg');
  });
  it('ignores siblings of another shape', () => {
    expect(inferFirstChar('MG_0101.JPG', ['IMG_0100.HEIC', 'XMG_01012.JPG']).name).toBe('IMG_0101.JPG');
  });
});

describe('LFN checksum', () => {
  it('gives back the first byte a delete overwrote', () => {
    const e = Buffer.from('HOLIDA~1JPG', 'latin1');
    const sum = shortNameChecksum(e);
    e[0] = 0xe5;
    expect(firstByteFromChecksum(e, sum)).toBe('H'.charCodeAt(0));
  });
});

describe('timestamps', () => {
  it('FAT: local time without offset, 2-second steps, 10 ms create precision', () => {
    const date = ((2023 - 1980) << 9) | (5 << 5) | 1;
    const time = (10 << 11) | (1 << 5) | 1; // 10:01:02
    expect(fatDateTime(date, time)).toBe('2023-05-01T10:01:02');
    expect(fatDateTime(date, time, 150)).toBe('2023-05-01T10:01:03.500');
    expect(fatDate(date)).toBe('2023-05-01');
    expect(fatDateTime(0, 0)).toBeUndefined();
    expect(fatDateTime(((2023 - 1980) << 9) | (2 << 5) | 30, 0)).toBeUndefined(); // 30 February
    expect(fatDateTime(date, 24 << 11)).toBeUndefined();
  });
  it('exFAT: with the UTC offset when it is valid', () => {
    const stamp = ((((2024 - 1980) << 9) | (4 << 5) | 2) << 16) | ((11 << 11) | (5 << 5) | 0);
    expect(exfatDateTime(stamp >>> 0, 0, 0)).toBe('2024-04-02T11:05:00');
    expect(exfatDateTime(stamp >>> 0, 0, 0x80 | 8)).toBe('2024-04-02T11:05:00+02:00');
    expect(exfatDateTime(stamp >>> 0, 0, 0x80 | (0x80 - 14))).toBe('2024-04-02T11:05:00-03:30');
  });
  it('FILETIME', () => {
    expect(fileTime(Number(133500000000000000n & 0xffffffffn), Number(133500000000000000n >> 32n))).toBe('2024-01-17T21:20:00.000Z');
    expect(fileTime(0, 0)).toBeUndefined();
  });
});

describe('trash records', () => {
  const rec = (version: number, path: string): Buffer => {
    const p = Buffer.from(path + '\0', 'utf16le');
    const head = Buffer.alloc(version === 1 ? 24 : 28);
    head.writeUInt32LE(version, 0);
    head.writeUInt32LE(1234, 8);
    head.writeBigUInt64LE(133500000000000000n, 16);
    if (version === 2) head.writeUInt32LE(path.length + 1, 24);
    return Buffer.concat([head, version === 1 ? Buffer.concat([p, Buffer.alloc(520 - p.length)]) : p]);
  };
  it('$I version 1 and 2', () => {
    expect(parseRecycleRecord(rec(1, 'C:\\a\\b.jpg'))).toEqual({ path: 'C:\\a\\b.jpg', at: '2024-01-17T21:20:00.000Z' });
    expect(parseRecycleRecord(rec(2, 'E:\\DCIM\\日本.jpg'))?.path).toBe('E:\\DCIM\\日本.jpg');
    expect(parseRecycleRecord(Buffer.alloc(10))).toBeNull();
    const bad = rec(2, 'x');
    bad.writeUInt32LE(0xffffffff, 24);
    expect(parseRecycleRecord(bad)).toBeNull();
  });
  it('.trashinfo', () => {
    expect(parseTrashInfo('[Trash Info]\nPath=/media/u/CARD/DCIM/a%20b.jpg\nDeletionDate=2024-02-01T10:00:00\n')).toEqual({
      path: '/media/u/CARD/DCIM/a b.jpg',
      at: '2024-02-01T10:00:00',
    });
    expect(parseTrashInfo('[Trash Info]\nPath=%E0%A4%A\n')?.path).toBe('%E0%A4%A');
    expect(parseTrashInfo('Path=x')).toBeNull();
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
