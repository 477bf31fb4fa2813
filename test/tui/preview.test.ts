// The Preview tab's decoding (off the UI thread): real camera files from the corpus, a real
// worker thread reading a found file of the demo card through the engine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/app/index.ts';
import { PreviewClient } from '../../src/tui/preview/client.ts';
import { decodePreview, orient, shrink } from '../../src/tui/preview/decode.ts';
import type { PreviewReply } from '../../src/tui/preview/worker.ts';
import { placeImage } from '../../src/tui/preview/graphics.ts';
import { CORPUS } from '../helpers/corpus.ts';
import { DEMO, demoTruth, sha256File } from '../e2e/helpers/dashboard.ts';

const media = (name: string) => fs.readFileSync(path.join(CORPUS, 'media', name));

describe('preview decoding', () => {
  it('decodes a camera JPEG through its EXIF thumbnail, with date, camera and GPS', async () => {
    const d = await decodePreview(media('nikon_p6000_gps.jpg'), 'jpeg', 120);
    expect(d.error).toBeUndefined();
    expect(d.image!.width / d.image!.height).toBeCloseTo(4 / 3, 1);
    expect(d.image!.rgb.length).toBe(d.image!.width * d.image!.height * 3);
    expect(Object.fromEntries(d.meta)).toMatchObject({
      Taken: '2008-10-22 16:28:39',
      Camera: 'NIKON COOLPIX P6000',
      GPS: '43.46745, 11.88513',
    });
    expect([...d.hex.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('decodes the whole JPEG when the thumbnail is too small for the screen', async () => {
    const d = await decodePreview(media('canon_g9.jpg'), 'jpeg', 300);
    expect(Math.max(d.image!.width, d.image!.height)).toBe(320); // shrunk from 2560x1600
    expect(d.image!.width / d.image!.height).toBeCloseTo(2560 / 1600, 1);
    expect(Object.fromEntries(d.meta).Camera).toBe('Canon PowerShot G9');
  });

  it('decodes HEIC with the wasm decoder', async () => {
    const d = await decodePreview(media('iphone8.heic'), 'heic');
    expect(d.error).toBeUndefined();
    expect(d.image!.width / d.image!.height).toBeCloseTo(4032 / 3024, 1);
    expect(Object.fromEntries(d.meta).Camera).toBe('Apple iPhone 8');
  });

  it('reports a cut-off or garbled photo as a result, never a crash', async () => {
    const cut = media('nikon_d70s.jpg').subarray(0, 5000);
    const d = await decodePreview(cut, 'jpeg', 2000);
    expect(d.hex.length).toBe(256);
    const junk = await decodePreview(Buffer.alloc(4096, 0x41), 'heic');
    expect(junk.error).toBeTruthy();
    expect(junk.image).toBeUndefined();
  });

  it('shows videos as metadata and hex only', async () => {
    const d = await decodePreview(media('iphone6_gps.mov').subarray(0, 4096), 'mov');
    expect(d.image).toBeUndefined();
    expect(Buffer.from(d.hex.subarray(4, 8)).toString('latin1')).toBe('ftyp');
    expect(d.meta).toEqual([['Brand', 'qt']]);
  });

  it('shrinks by averaging and turns by the EXIF orientation', () => {
    const src = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255]); // 2x2 RGB
    const one = shrink(src, 2, 2, 3, 1);
    expect([...one.rgb]).toEqual([127, 127, 127]);
    const wide = { width: 2, height: 1, rgb: new Uint8Array([1, 1, 1, 2, 2, 2]) };
    const turned = orient(wide, 6);
    expect([turned.width, turned.height]).toEqual([1, 2]);
    expect([...turned.rgb]).toEqual([1, 1, 1, 2, 2, 2]);
    expect([...orient(wide, 3).rgb]).toEqual([2, 2, 2, 1, 1, 1]);
  });

  it('speaks kitty and iTerm2 graphics when the terminal has them', () => {
    const img = { width: 64, height: 64, rgb: new Uint8Array(64 * 64 * 3).fill(200) };
    const rect = { x: 4, y: 2, w: 10, h: 5 };
    const kitty = placeImage('kitty', img, rect);
    expect(kitty).toContain('\x1b[3;5H');
    expect(kitty).toMatch(/\x1b_Ga=T,f=24,i=\d+,s=64,v=64,c=10,r=5,C=1,q=2,m=1;/);
    expect(kitty.endsWith('\x1b\\')).toBe(true);
    const iterm = placeImage('iterm', img, rect);
    expect(iterm).toMatch(/\x1b\]1337;File=inline=1;size=\d+;width=10;height=5;preserveAspectRatio=1:\/9j\//); // base64 of FF D8 FF
    expect(placeImage('blocks', img, rect)).toBe('');
  });
});

describe('preview worker', () => {
  it('reads a deleted photo off the demo card through the engine and decodes it off the UI thread', async () => {
    const before = sha256File(DEMO);
    const res = await scan({ source: DEMO }, () => {});
    const truth = demoTruth().files.find((f) => f.type === 'jpeg' && f.state === 'deleted')!;
    const found = res.files.find((f) => f.original?.name.endsWith(path.basename(truth.path).slice(1)))!;
    expect(found).toBeDefined();
    const replies: PreviewReply[] = [];
    const done = new Promise<void>((r) => {
      const client = new PreviewClient((reply) => {
        replies.push(reply);
        client.close();
        r();
      });
      client.request(DEMO, found, 120);
    });
    await done;
    expect(replies).toHaveLength(1);
    expect(replies[0].fileId).toBe(found.id);
    expect(replies[0].error).toBeUndefined();
    expect(replies[0].image!.width).toBeGreaterThan(0);
    expect([...replies[0].hex!.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(sha256File(DEMO)).toBe(before);
  });
});
