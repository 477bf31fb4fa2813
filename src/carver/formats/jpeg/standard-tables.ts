// The example Huffman tables of ITU-T T.81 Annex K.3 (tables K.3 to K.6). Writers of Motion
// JPEG frames (webcams, IP and dash cameras saving snapshots) often leave out DHT and rely on
// decoders using these, as libjpeg does; so does the walker, for table slots 0 and 1 only.
import { buildHuffman, type HuffTable } from './huffman.ts';
import type { Scan, Tables } from './headers.ts';

/** [code-length counts (16 bytes), symbols] as hex. */
const K: Record<string, [string, string]> = {
  DC_LUMINANCE: [
    '00010501010101010100000000000000',
    '000102030405060708090a0b',
  ],
  AC_LUMINANCE: [
    '0002010303020403050504040000017d',
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728' +
    '292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a83848586878889' +
    '8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2' +
    'e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa',
  ],
  DC_CHROMINANCE: [
    '00030101010101010101010000000000',
    '000102030405060708090a0b',
  ],
  AC_CHROMINANCE: [
    '00020102040403040705040400010277',
    '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a26' +
    '2728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a828384858687' +
    '88898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9da' +
    'e2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa',
  ],
};

function table(name: string): HuffTable {
  const [counts, symbols] = K[name];
  const t = buildHuffman(Buffer.from(counts, 'hex'), Buffer.from(symbols, 'hex'));
  if (!t) throw new Error(`standard Huffman table ${name} does not build`);
  return t;
}

/** Give the scan's undefined DC/AC table slots 0 and 1 the Annex K tables (luminance, chrominance). */
export function fillStandardTables(tables: Tables, scan: Scan): void {
  for (const c of scan.components) {
    if (!tables.dc[c.td] && c.td <= 1) tables.dc[c.td] = table(c.td === 0 ? 'DC_LUMINANCE' : 'DC_CHROMINANCE');
    if (!tables.ac[c.ta] && c.ta <= 1) tables.ac[c.ta] = table(c.ta === 0 ? 'AC_LUMINANCE' : 'AC_CHROMINANCE');
  }
}
