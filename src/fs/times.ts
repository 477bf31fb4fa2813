// FAT and exFAT timestamps to ISO 8601 strings.
// FAT stores local time with no zone: those come out as "YYYY-MM-DDTHH:MM:SS" (no offset, i.e.
// the camera's local clock). exFAT may add a UTC offset: then the string ends in "+HH:MM".

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** DOS date word to [year, month, day], or null when it is zero or impossible. */
function dosDate(date: number): [number, number, number] | null {
  if (date === 0) return null;
  const year = 1980 + (date >> 9);
  const month = (date >> 5) & 0x0f;
  const day = date & 0x1f;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return [year, month, day];
}

/** DOS date + time (+ 10 ms units, 0..199) as local ISO time without offset. */
export function fatDateTime(date: number, time: number, tenMs = 0): string | undefined {
  const d = dosDate(date);
  if (!d) return undefined;
  const h = time >> 11;
  const m = (time >> 5) & 0x3f;
  let s = (time & 0x1f) * 2;
  if (h > 23 || m > 59 || s > 59) return undefined;
  let frac = '';
  if (tenMs > 0 && tenMs < 200) {
    s += Math.floor(tenMs / 100);
    const cs = tenMs % 100;
    if (cs) frac = '.' + pad(cs) + '0';
  }
  if (s > 59) return undefined;
  return `${d[0]}-${pad(d[1])}-${pad(d[2])}T${pad(h)}:${pad(m)}:${pad(s)}${frac}`;
}

/** DOS date alone (the FAT last-access date). */
export function fatDate(date: number): string | undefined {
  const d = dosDate(date);
  return d ? `${d[0]}-${pad(d[1])}-${pad(d[2])}` : undefined;
}

/** exFAT timestamp (date in the high word, time in the low), 10 ms increment and UTC offset byte. */
export function exfatDateTime(stamp: number, tenMs: number, utcOffset: number): string | undefined {
  const base = fatDateTime(stamp >>> 16, stamp & 0xffff, tenMs);
  if (!base) return undefined;
  if (!(utcOffset & 0x80)) return base;
  // Bits 0..6: signed offset in 15-minute steps.
  let q = utcOffset & 0x7f;
  if (q & 0x40) q -= 0x80;
  const sign = q < 0 ? '-' : '+';
  const mins = Math.abs(q) * 15;
  return `${base}${sign}${pad(Math.floor(mins / 60))}:${pad(mins % 60)}`;
}

/** Windows FILETIME (100 ns since 1601, UTC) to ISO with Z, or undefined when out of range. */
export function fileTime(lo: number, hi: number): string | undefined {
  const ticks = BigInt(hi) * 0x100000000n + BigInt(lo);
  if (ticks === 0n) return undefined;
  const ms = Number(ticks / 10000n) - 11644473600000;
  if (!Number.isFinite(ms) || ms < 0 || ms > 4102444800000) return undefined; // before 1970 or after 2100: junk
  return new Date(ms).toISOString();
}
