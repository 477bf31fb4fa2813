// Where did the picture stop being this picture? A hint for a scan that failed late.
//
// Bytes of another JPEG (or of the same one, out of place) spliced into a scan often decode
// as valid blocks for a long while, so the decoder may only fail far past the splice. The
// DC terms tell where it happened without any IDCT: in a real picture a block's DC is close
// to the DC of the block above it; after a splice the rows no longer line up, and the
// vertical DC differences jump and stay high. A change-point search over the per-MCU
// vertical differences finds the first MCU of that high stretch.

/** Track MCUs of scans up to this many (two 4-byte arrays each). */
export const MAX_TRACKED_MCUS = 2 * 1024 * 1024;

/**
 * After the change, vertical differences must exceed this many times the horizontal ones
 * (plus a small floor). A spliced stretch keeps its own natural left-right differences while
 * its rows no longer match the rows above; a busier part of the same picture (foliage under
 * sky) raises both, so comparing the two keeps texture changes from passing as splices.
 */
const RATIO = 2;
const FLOOR = 2;
/** Fewest MCUs on each side of a change for it to count. */
const MIN_SIDE = 8;
/**
 * Only late failures need this: a spliced stretch shorter than this many MCUs (or a quarter
 * row) is already close enough to where the decoder failed. The last few MCUs before a
 * failure are often garbage with wild DC values, so they are left out of the statistics.
 */
const MIN_STRETCH = 32;
const TAIL_SKIP = 4;

/**
 * `vd[i]` / `hd[i]`: |DC of MCU i's first block − DC of the MCU above / to the left|; `at[i]`:
 * byte position where MCU i starts; for the `n` MCUs decoded before the failure. Returns the
 * byte position of the MCU where vertical differences jump above horizontal ones for good,
 * or null.
 */
export function spliceStart(vd: Int32Array, hd: Int32Array, at: Uint32Array, gridW: number, n: number): number | null {
  const s = gridW; // the first row has no row above
  const total = n - TAIL_SKIP - s;
  const minAfter = Math.max(MIN_STRETCH, gridW >> 2);
  if (total < MIN_SIDE + minAfter) return null;
  const sx = new Float64Array(total + 1);
  const sv = new Float64Array(total + 1);
  const sh = new Float64Array(total + 1);
  for (let i = 0; i < total; i++) {
    sv[i + 1] = sv[i] + vd[s + i];
    sh[i + 1] = sh[i] + hd[s + i];
    sx[i + 1] = sx[i] + vd[s + i] - hd[s + i];
  }
  let best = -1;
  let bestScore = 0;
  for (let i = MIN_SIDE; i <= total - minAfter; i++) {
    const before = sx[i] / i;
    const after = (sx[total] - sx[i]) / (total - i);
    const score = (after - before) * Math.sqrt((i * (total - i)) / total);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0) return null;
  const m = total - best;
  const vAfter = (sv[total] - sv[best]) / m;
  const hAfter = (sh[total] - sh[best]) / m;
  const vBefore = sv[best] / best;
  const hBefore = sh[best] / best;
  if (vAfter < RATIO * hAfter + FLOOR) return null;
  if (vBefore >= RATIO * hBefore + FLOOR) return null;
  return at[s + best];
}
