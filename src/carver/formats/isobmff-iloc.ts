// Where a HEIF image's items lie, from 'meta' → 'iloc' (versions 0–2). Items built from the
// file (construction method 0) must lie in the file; items built from 'idat' (method 1) must
// lie in the idat. Method 2 (from other items) and external data references are not checked.
import { type Box, children, fourcc, readUIntN } from './isobmff-boxes.ts';
import type { Range } from './isobmff-samples.ts';

export interface ItemInfo {
  /** True when the meta holds an 'iloc' we could read. */
  hasIloc: boolean;
  items: number;
  /** File-relative ranges of items stored in the file (method 0). */
  extents: Range[];
  broken: string[];
}

/**
 * Which data references point into this same file: index 0 always does; index n does when
 * entry n of 'dinf' → 'dref' is a 'url ' with the self-contained flag set.
 */
function localDataRefs(buf: Buffer, dinf: Box | undefined): (index: number) => boolean {
  const dref = dinf && children(buf, dinf.payload, dinf.end).find((k) => k.type === 'dref');
  const entries = dref && dref.payload + 8 <= dref.end ? children(buf, dref.payload + 8, dref.end) : [];
  return (index) => {
    if (index === 0) return true;
    const e = entries[index - 1];
    return !!e && e.payload + 4 <= e.end && (buf.readUInt32BE(e.payload) & 1) === 1;
  };
}

/** Read the 'meta' box held in `buf` (whole box, header included). iloc offsets are file-relative. */
export function parseMeta(buf: Buffer): ItemInfo {
  const info: ItemInfo = { hasIloc: false, items: 0, extents: [], broken: [] };
  const top = children(buf, 0, buf.length)[0];
  if (!top || top.payload + 8 > top.end) return info;
  // ISO 'meta' is a full box (4 bytes of version/flags before its children); QuickTime's is not.
  const skip = fourcc(buf, top.payload + 4) === 'hdlr' ? 0 : 4;
  const kids = children(buf, top.payload + skip, top.end);
  const iloc = kids.find((k) => k.type === 'iloc');
  const idat = kids.find((k) => k.type === 'idat');
  if (!iloc) return info;
  info.hasIloc = true;
  const local = localDataRefs(buf, kids.find((k) => k.type === 'dinf'));
  const end = iloc.end;
  let p = iloc.payload;
  const fail = (why: string): ItemInfo => {
    info.broken.push(why);
    return info;
  };
  if (p + 8 > end) return fail('short iloc');
  const version = buf[p];
  if (version > 2) return fail(`iloc version ${version}`);
  p += 4;
  const offsetSize = buf[p] >> 4;
  const lengthSize = buf[p] & 15;
  const baseSize = buf[p + 1] >> 4;
  const indexSize = version >= 1 ? buf[p + 1] & 15 : 0;
  p += 2;
  for (const s of [offsetSize, lengthSize, baseSize, indexSize]) if (s !== 0 && s !== 4 && s !== 8) return fail('bad iloc field size');
  let count: number;
  if (version < 2) {
    count = buf.readUInt16BE(p);
    p += 2;
  } else {
    if (p + 4 > end) return fail('short iloc');
    count = buf.readUInt32BE(p);
    p += 4;
  }
  const idSize = version < 2 ? 2 : 4;
  // Each item takes at least id + data_reference_index + extent_count bytes.
  if (count > (end - p) / (idSize + 4)) return fail('item count past its box');
  for (let i = 0; i < count; i++) {
    const headLen = idSize + (version >= 1 ? 2 : 0) + 2 + baseSize + 2;
    if (p + headLen > end) return fail('item past its box');
    p += idSize;
    let method = 0;
    if (version >= 1) {
      method = buf.readUInt16BE(p) & 15;
      p += 2;
    }
    const dataRef = buf.readUInt16BE(p);
    p += 2;
    const base = readUIntN(buf, p, baseSize);
    p += baseSize;
    const nExt = buf.readUInt16BE(p);
    p += 2;
    const extLen = indexSize + offsetSize + lengthSize;
    if (p + nExt * extLen > end) return fail('extents past their box');
    info.items++;
    for (let e = 0; e < nExt; e++) {
      p += indexSize;
      const off = readUIntN(buf, p, offsetSize);
      p += offsetSize;
      const len = readUIntN(buf, p, lengthSize);
      p += lengthSize;
      if (base < 0 || off < 0 || len < 0) return fail('extent beyond 2^53');
      if (!local(dataRef) || method === 2) continue;
      if (method === 1) {
        const idatLen = idat ? idat.end - idat.payload : -1;
        if (base + off + len > idatLen) return fail('item outside its idat');
        continue;
      }
      if (method !== 0) return fail(`construction method ${method}`);
      info.extents.push({ offset: base + off, length: len });
    }
  }
  return info;
}
