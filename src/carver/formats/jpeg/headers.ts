// Parsing of the JPEG marker segments the scan walker needs (SOF, DHT, DQT, DRI, SOS).
// Each parser gets the segment payload (after the 2 length bytes) and returns null when
// the payload is not what a real encoder writes: every count is checked against the
// segment length, so a false hit fails closed instead of reading past it.
import { buildHuffman, type HuffTable } from './huffman.ts';

export interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
}

export interface Frame {
  /** SOF marker code (0xC0…0xCF). */
  marker: number;
  precision: number;
  height: number;
  width: number;
  components: FrameComponent[];
  hMax: number;
  vMax: number;
  mcusX: number;
  mcusY: number;
  progressive: boolean;
  /** Huffman-coded DCT frames are the ones the walker can decode. */
  huffmanDct: boolean;
}

export interface ScanComponent {
  /** Index into Frame.components. */
  index: number;
  td: number;
  ta: number;
}

export interface Scan {
  components: ScanComponent[];
  ss: number;
  se: number;
  ah: number;
  al: number;
}

/** Tables in force at a point of the stream (they may be redefined between scans). */
export interface Tables {
  dc: (HuffTable | null)[];
  ac: (HuffTable | null)[];
  /** First (DC) quantizer of each quantization table, 0 when not defined yet. */
  q0: number[];
  restartInterval: number;
}

export function emptyTables(): Tables {
  return { dc: [null, null, null, null], ac: [null, null, null, null], q0: [0, 0, 0, 0], restartInterval: 0 };
}

/** SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
export function isSof(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

export function sofKind(m: number): 'baseline' | 'progressive' | 'lossless' {
  if (m === 0xc2 || m === 0xc6 || m === 0xca || m === 0xce) return 'progressive';
  if (m === 0xc3 || m === 0xc7 || m === 0xcb || m === 0xcf) return 'lossless';
  return 'baseline';
}

export function parseSof(marker: number, p: Buffer): Frame | null {
  if (p.length < 6) return null;
  const precision = p[0];
  const height = p.readUInt16BE(1);
  const width = p.readUInt16BE(3);
  const nf = p[5];
  if (nf < 1 || nf > 4 || p.length !== 6 + 3 * nf) return null;
  if (width === 0) return null;
  const lossless = sofKind(marker) === 'lossless';
  if (lossless ? precision < 2 || precision > 16 : precision !== 8 && precision !== 12) return null;
  const components: FrameComponent[] = [];
  let hMax = 1;
  let vMax = 1;
  for (let i = 0; i < nf; i++) {
    const id = p[6 + 3 * i];
    const hv = p[7 + 3 * i];
    const tq = p[8 + 3 * i];
    const h = hv >> 4;
    const v = hv & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) return null;
    if (components.some((c) => c.id === id)) return null;
    components.push({ id, h, v, tq });
    hMax = Math.max(hMax, h);
    vMax = Math.max(vMax, v);
  }
  const progressive = sofKind(marker) === 'progressive';
  // Huffman DCT: SOF0, SOF1, SOF2 (SOF5/6 are hierarchical, SOF9+ arithmetic).
  const huffmanDct = marker === 0xc0 || marker === 0xc1 || marker === 0xc2;
  return {
    marker,
    precision,
    height,
    width,
    components,
    hMax,
    vMax,
    mcusX: Math.ceil(width / (8 * hMax)),
    mcusY: Math.ceil(height / (8 * vMax)),
    progressive,
    huffmanDct,
  };
}

/** DHT: one or more tables; fills `t`. */
export function parseDht(p: Buffer, t: Tables): boolean {
  let i = 0;
  if (p.length < 17) return false;
  while (i < p.length) {
    if (i + 17 > p.length) return false;
    const tc = p[i] >> 4;
    const th = p[i] & 15;
    if (tc > 1 || th > 3) return false;
    const counts = p.subarray(i + 1, i + 17);
    let n = 0;
    for (let k = 0; k < 16; k++) n += counts[k];
    if (n === 0 || n > 256 || i + 17 + n > p.length) return false;
    const table = buildHuffman(counts, p.subarray(i + 17, i + 17 + n));
    if (!table) return false;
    (tc === 0 ? t.dc : t.ac)[th] = table;
    i += 17 + n;
  }
  return true;
}

/** DQT: one or more tables; records each table's DC quantizer. */
export function parseDqt(p: Buffer, t: Tables): boolean {
  let i = 0;
  if (p.length < 65) return false;
  while (i < p.length) {
    const pq = p[i] >> 4;
    const tq = p[i] & 15;
    if (pq > 1 || tq > 3) return false;
    const size = pq === 0 ? 64 : 128;
    if (i + 1 + size > p.length) return false;
    const q0 = pq === 0 ? p[i + 1] : p.readUInt16BE(i + 1);
    if (q0 === 0) return false;
    t.q0[tq] = q0;
    i += 1 + size;
  }
  return true;
}

export function parseSos(p: Buffer, frame: Frame): Scan | null {
  if (p.length < 1) return null;
  const ns = p[0];
  if (ns < 1 || ns > 4 || p.length !== 4 + 2 * ns) return null;
  const components: ScanComponent[] = [];
  for (let i = 0; i < ns; i++) {
    const id = p[1 + 2 * i];
    const index = frame.components.findIndex((c) => c.id === id);
    if (index < 0 || components.some((c) => c.index === index)) return null;
    const tt = p[2 + 2 * i];
    const td = tt >> 4;
    const ta = tt & 15;
    if (td > 3 || ta > 3) return null;
    components.push({ index, td, ta });
  }
  const ss = p[1 + 2 * ns];
  const se = p[2 + 2 * ns];
  const ah = p[3 + 2 * ns] >> 4;
  const al = p[3 + 2 * ns] & 15;
  if (frame.progressive) {
    if (ss > 63 || se > 63 || se < ss || ah > 13 || al > 13) return null;
    if (ss === 0 && se !== 0) return null;
    if (ss > 0 && ns !== 1) return null;
  }
  // An interleaved MCU holds at most 10 blocks (T.81 B.2.3).
  if (ns > 1) {
    let blocks = 0;
    for (const c of components) blocks += frame.components[c.index].h * frame.components[c.index].v;
    if (blocks > 10) return null;
  }
  return { components, ss, se, ah, al };
}
