// Helpers for lengths read from an untrusted medium: every one is bounded before use.

/** Clamp `n` to [lo, hi]. */
export function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

/** True when [offset, offset+length) lies inside [0, size). */
export function inRange(offset: number, length: number, size: number): boolean {
  return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= size;
}

/** A 64-bit unsigned read that fails closed (returns -1) above Number.MAX_SAFE_INTEGER. */
export function readU64BE(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64BE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}

export function readU64LE(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}
