// Where a HEIF image's items lie, from 'meta' → 'iloc' (versions 0–2). Items built from the
// file (construction method 0) must lie in the file; items built from 'idat' (method 1) must
// lie in the idat. Method 2 (from other items) and external data references are not checked.
import { type Box, children, fourcc, readUIntN } from './isobmff-boxes.ts';
import type { NalCodec, NalSamples, Range, SampleFraming } from './isobmff-samples.ts';

export interface ItemInfo {
  /** True when the meta holds an 'iloc' we could read. */
  hasIloc: boolean;
  items: number;
  /** File-relative ranges of items stored in the file (method 0). */
  extents: Range[];
  broken: string[];
  /** Coded pictures (hvc1/avc1 items in one extent) whose NAL framing can be checked. */
  nal: NalSamples[];
}

/** item_ID → item_type from 'iinf' (infe versions 2 and 3). */
function itemTypes(buf: Buffer, iinf: Box | undefined): Map<number, string> {
  const types = new Map<number, string>();
  if (!iinf || iinf.payload + 6 > iinf.end) return types;
  const first = iinf.payload + (buf[iinf.payload] === 0 ? 6 : 8);
  for (const infe of children(buf, first, iinf.end)) {
    if (infe.type !== 'infe' || infe.payload + 12 > infe.end) continue;
    const v = buf[infe.payload];
    if (v === 2) types.set(buf.readUInt16BE(infe.payload + 4), fourcc(buf, infe.payload + 8));
    else if (v === 3 && infe.payload + 14 <= infe.end) types.set(buf.readUInt32BE(infe.payload + 4), fourcc(buf, infe.payload + 10));
  }
  return types;
}

/** The NAL framing of coded items, from the first hvcC/avcC property (one per image in practice). */
function itemCodecs(buf: Buffer, iprp: Box | undefined): Map<string, NalCodec> {
  const out = new Map<string, NalCodec>();
  const ipco = iprp && children(buf, iprp.payload, iprp.end).find((k) => k.type === 'ipco');
  if (!ipco) return out;
  for (const prop of children(buf, ipco.payload, ipco.end)) {
    const entryType = prop.type === 'hvcC' ? 'hvc1' : prop.type === 'avcC' ? 'avc1' : '';
    if (!entryType || out.has(entryType)) continue;
    // lengthSizeMinusOne sits in byte 21 of an HEVC configuration record, byte 4 of an AVC one.
    const at = prop.payload + (prop.type === 'hvcC' ? 21 : 4);
    if (at < prop.end) {
      const lengthSize = (buf[at] & 3) + 1;
      if (lengthSize !== 3) out.set(entryType, { lengthSize, hevc: entryType === 'hvc1' });
    }
  }
  return out;
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
  const info: ItemInfo = { hasIloc: false, items: 0, extents: [], broken: [], nal: [] };
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
  const types = itemTypes(buf, kids.find((k) => k.type === 'iinf'));
  const codecs = itemCodecs(buf, kids.find((k) => k.type === 'iprp'));
  const nalByType = new Map<string, NalSamples>();
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
    const itemId = idSize === 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
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
      const itemType = types.get(itemId) ?? '';
      const codec: SampleFraming | undefined = nExt !== 1 || len === 0 ? undefined : itemType === 'Exif' ? 'exif' : codecs.get(itemType);
      if (codec) {
        const type = itemType;
        let set = nalByType.get(type);
        if (!set) nalByType.set(type, (set = { codec, offsets: [], sizes: [] }));
        set.offsets.push(base + off);
        set.sizes.push(len);
      }
    }
  }
  info.nal = [...nalByType.values()];
  return info;
}
