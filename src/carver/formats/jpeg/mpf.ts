// The MP index of a Multi-Picture Format file (CIPA DC-007): APP2 "MPF\0" followed by a
// TIFF-style header and an IFD whose MPEntry tag lists every image of the file with its
// size and its offset, counted from that TIFF header (0 for the first image).
// Fujifilm, Samsung, Nikon, Canon and others store preview or stereo images this way,
// after the first image's EOI.

export interface MpEntry {
  /** Offset from the MPF TIFF header; 0 marks the first image (or an absent one). */
  offset: number;
  size: number;
}

const MAX_ENTRIES = 64;

/** Parse the payload of an APP2 segment after "MPF\0". Returns null if it is not a sane MP index. */
export function parseMpIndex(tiff: Buffer): MpEntry[] | null {
  if (tiff.length < 8) return null;
  const le = tiff[0] === 0x49 && tiff[1] === 0x49;
  const be = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!le && !be) return null;
  const u16 = (at: number): number => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 0x2a) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  if (count > 64 || ifd + 2 + 12 * count > tiff.length) return null;
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + 12 * i;
    if (u16(e) !== 0xb002) continue;
    const bytes = u32(e + 4);
    if (bytes % 16 !== 0 || bytes === 0 || bytes / 16 > MAX_ENTRIES) return null;
    // 16 × N bytes never fit in the 4-byte value field: it is an offset.
    const at = u32(e + 8);
    if (at + bytes > tiff.length) return null;
    const entries: MpEntry[] = [];
    for (let j = 0; j < bytes / 16; j++) {
      const p = at + 16 * j;
      entries.push({ size: u32(p + 4), offset: u32(p + 8) });
    }
    return entries;
  }
  return null;
}
