// The entropy-coded byte stream of a JPEG scan, read in big chunks and turned into bits.
//
// Byte stuffing (FF 00) is undone here. Any other FF xx is a marker: the stream stops there,
// the marker and its position are recorded, and zero bits are fed from then on (counted in
// `fake`) so the decoder can notice when it needed bits that the scan does not have.
// The hot loop of the sequential decoder copies buf/pos/end/acc/bits into locals and calls
// fill() only for the rare cases (chunk end, an FF byte); see sequential.ts.
import type { ByteReader } from '../../../core/types.ts';
import { FAST_BITS, FAST_MASK, type HuffTable } from './huffman.ts';

/** Pseudo marker: the reader (or the size bound) ended inside the scan. */
export const END_OF_DATA = 0x100;

const CHUNK = 256 * 1024;
const EMPTY = Buffer.alloc(0);

export class BitReader {
  readonly src: ByteReader;
  /** No byte at or past this absolute position is read (min of reader size and maxSize). */
  readonly limit: number;
  buf: Buffer = EMPTY;
  /** Absolute position of buf[0]. */
  bufStart = 0;
  pos = 0;
  /** End of usable bytes in buf; set to pos when a marker is hit, so fast paths stop. */
  end = 0;
  acc = 0;
  bits = 0;
  /** How many of the bits fed into acc were padding after the marker (not real data). */
  fake = 0;
  /** Marker code that ended the data (0x00…0xFF, or END_OF_DATA); -1 while in data. */
  marker = -1;
  /** Absolute position of the marker's first FF (or of the end of data). */
  markerPos = 0;
  /** Absolute position just after the marker code byte. */
  markerEnd = 0;

  constructor(src: ByteReader, limit: number) {
    this.src = src;
    this.limit = Math.min(src.size, limit);
  }

  /** Start reading entropy data at absolute position `abs`, with an empty bit buffer. */
  seek(abs: number): void {
    this.bufStart = abs;
    this.buf = abs < this.limit ? this.src.read(abs, Math.min(CHUNK, this.limit - abs)) : EMPTY;
    this.pos = 0;
    this.end = this.buf.length;
    this.acc = 0;
    this.bits = 0;
    this.fake = 0;
    this.marker = -1;
    this.markerPos = 0;
    this.markerEnd = 0;
  }

  private load(): boolean {
    const next = this.bufStart + this.buf.length;
    if (next >= this.limit) return false;
    const b = this.src.read(next, Math.min(CHUNK, this.limit - next));
    if (b.length === 0) return false;
    this.buf = b;
    this.bufStart = next;
    this.pos = 0;
    this.end = b.length;
    return true;
  }

  private peekByte(): number {
    if (this.pos >= this.buf.length && !this.load()) return -1;
    return this.buf[this.pos];
  }

  /** An FF byte was just taken from the data: stuffing or a marker. */
  private afterFF(): number {
    const ffAt = this.bufStart + this.pos - 1;
    let next = this.peekByte();
    if (next === 0) {
      this.pos++;
      return 0xff;
    }
    // Fill bytes (FF FF …) may precede a marker.
    while (next === 0xff) {
      this.pos++;
      next = this.peekByte();
    }
    this.marker = next < 0 ? END_OF_DATA : next;
    this.markerPos = ffAt;
    this.markerEnd = next < 0 ? ffAt : this.bufStart + this.pos + 1;
    this.end = this.pos;
    this.fake += 8;
    return 0;
  }

  /**
   * Top up acc to more than 22 bits (real data, or zero padding once the data ended). acc keeps
   * at most 30 bits so it stays a small integer in V8 (a wider value would turn the field
   * into a boxed double and slow every access).
   */
  fill(): void {
    while (this.bits <= 22) {
      let b = 0;
      if (this.marker >= 0) {
        this.fake += 8;
      } else if (this.pos >= this.buf.length && !this.load()) {
        this.marker = END_OF_DATA;
        this.markerPos = this.bufStart + this.pos;
        this.markerEnd = this.markerPos;
        this.end = this.pos;
        this.fake += 8;
      } else {
        b = this.buf[this.pos++];
        if (b === 0xff) b = this.afterFF();
      }
      this.acc = ((this.acc << 8) | b) & 0x3fffffff;
      this.bits += 8;
    }
  }

  /** Next Huffman symbol (FAST_BITS table first, the 16-bit one for long codes), or -1 for an invalid code. */
  symbol(t: HuffTable): number {
    if (this.bits < 16) this.fill();
    let e = t.fast[(this.acc >>> (this.bits - FAST_BITS)) & FAST_MASK];
    if (e === 0) e = t.lut[(this.acc >>> (this.bits - 16)) & 0xffff];
    if (e === 0) return -1;
    this.bits -= e & 31;
    return e >>> 8;
  }

  /** Next n raw bits (n ≤ 16). */
  getBits(n: number): number {
    if (n === 0) return 0;
    if (this.bits < n) this.fill();
    const v = (this.acc >>> (this.bits - n)) & ((1 << n) - 1);
    this.bits -= n;
    return v;
  }

  /** True when the decoder has used bits past the end of the scan data. */
  overrun(): boolean {
    return this.bits < this.fake;
  }

  /** Roughly the absolute byte position the decoder has reached (for reports). */
  position(): number {
    const real = Math.max(0, this.bits - this.fake);
    const at = this.marker >= 0 ? this.markerPos : this.bufStart + this.pos;
    return Math.max(0, at - Math.floor(real / 8));
  }

  /**
   * After the last MCU of a restart interval or scan: only the padding of the last byte
   * (< 8 bits) may be left before a marker. Returns the marker code, or -1 when more
   * entropy data follows (the MCU count and the data disagree).
   */
  finishSegment(): number {
    if (this.overrun()) return -1;
    this.fill();
    if (this.marker < 0) return -1;
    if (this.bits - this.fake >= 8) return -1;
    return this.marker;
  }
}
