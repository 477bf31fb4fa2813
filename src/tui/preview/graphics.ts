// Pictures through the terminal's own graphics protocol (kitty, iTerm2), when it has one.
// The half-block picture is drawn underneath anyway, so a terminal that ignores these
// sequences still shows something.
import jpeg from 'jpeg-js';
import type { GraphicsMode } from '../render/color.ts';
import type { Rect } from '../state/layout.ts';
import type { PreviewImage } from '../state/store.ts';

const KITTY_ID = 7301;

export function kittyDelete(): string {
  return `\x1b_Ga=d,d=I,i=${KITTY_ID},q=2\x1b\\`;
}

/** The bytes that place `img` over the cells of `rect`, or '' for half-block terminals. */
export function placeImage(mode: GraphicsMode, img: PreviewImage, rect: Rect): string {
  if (mode === 'blocks' || rect.w <= 0 || rect.h <= 0) return '';
  const move = `\x1b[${rect.y + 1};${rect.x + 1}H`;
  if (mode === 'kitty') {
    const data = Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength).toString('base64');
    const parts: string[] = [];
    for (let i = 0; i < data.length; i += 4096) {
      const chunk = data.slice(i, i + 4096);
      const more = i + 4096 < data.length ? 1 : 0;
      const head = i === 0 ? `a=T,f=24,i=${KITTY_ID},s=${img.width},v=${img.height},c=${rect.w},r=${rect.h},C=1,q=2,m=${more}` : `m=${more}`;
      parts.push(`\x1b_G${head};${chunk}\x1b\\`);
    }
    return kittyDelete() + move + parts.join('');
  }
  // iTerm2 wants an image file: encode the small RGB picture as JPEG.
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.rgb.length; i += 3, j += 4) {
    rgba[j] = img.rgb[i];
    rgba[j + 1] = img.rgb[i + 1];
    rgba[j + 2] = img.rgb[i + 2];
    rgba[j + 3] = 255;
  }
  const file = jpeg.encode({ data: rgba, width: img.width, height: img.height }, 90).data;
  const b64 = Buffer.from(file).toString('base64');
  return `${move}\x1b]1337;File=inline=1;size=${file.length};width=${rect.w};height=${rect.h};preserveAspectRatio=1:${b64}\x07`;
}
