// Guessing the first character of a deleted 8.3-only name. FAT marks a deleted entry by
// overwriting the first byte of its short name with 0xE5, so "IMG_0101.JPG" survives as
// "?MG_0101.JPG". Without a long name to restore it from, we guess from what the folder holds,
// then from the prefixes cameras and phones use, then fall back to '_'.

/** Camera/phone file and folder prefixes; the first character is the one that is lost. */
const PREFIXES = [
  'IMG_', 'MVI_', 'DSC_', 'DSCN', 'DSCF', 'DSC0', 'P10', 'P11', 'P12', 'GOPR', 'GX01', 'GH01', 'GL01',
  'VID_', 'MOV_', 'MAH0', 'SAM_', 'PICT', 'CIMG', 'IMGP', 'HPIM', 'DJI_', 'PXL_', 'SDC1', 'KIF_',
  'CRW_', 'STA_', 'MOV0', 'PANA', 'DCIM', 'MISC',
];

export interface InferredName {
  name: string;
  inferred: boolean;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * Does sibling `s` follow the same pattern as `rest` (the name without its first character)?
 * Same length and extension, same characters except where both hold digits (a counter).
 */
function sameShape(s: string, rest: string): boolean {
  if (s.length !== rest.length + 1) return false;
  const t = s.slice(1);
  let letters = 0;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const b = t[i].toUpperCase();
    if (a === b) {
      if (!isDigit(a)) letters++;
      continue;
    }
    if (isDigit(a) && isDigit(b)) continue;
    return false;
  }
  return letters > 0;
}

/**
 * `rest` is the short name after its lost first byte, as "MG_0101.JPG" (base and extension
 * joined by '.', or no dot when the extension is empty). `siblings` are the complete names
 * (short or long) of other entries in the same folder.
 */
export function inferFirstChar(rest: string, siblings: readonly string[]): InferredName {
  const guessed = inferUpper(rest, siblings);
  // A name shown in lower case (the NT case flags) gets a lower-case first letter too.
  const lower = /[a-z]/.test(rest) && !/[A-Z]/.test(rest);
  return { name: (lower ? guessed.toLowerCase() : guessed) + rest, inferred: true };
}

function inferUpper(rest: string, siblings: readonly string[]): string {
  const upperRest = rest.toUpperCase();
  const votes = new Map<string, number>();
  for (const s of siblings) {
    if (!s || !sameShape(s, upperRest)) continue;
    const c = s[0].toUpperCase();
    if (c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) > 0x7e) continue;
    votes.set(c, (votes.get(c) ?? 0) + 1);
  }
  let best = '';
  let bestN = 0;
  for (const [c, n] of votes) {
    if (n > bestN) {
      best = c;
      bestN = n;
    }
  }
  if (best) return best;
  for (const p of PREFIXES) {
    if (upperRest.startsWith(p.slice(1))) return p[0];
  }
  return '_';
}
