// A fast 53-bit hash (cyrb53) over a sequence of values, for "unchanged" detection without per-row strings.
// The values are stored with the rows (_row_hash, _raw_hash): the function must never change its results.

let h1 = 0;
let h2 = 0;

export function hashStart(seed: number): void {
  h1 = 0xdeadbeef ^ seed;
  h2 = 0x41c6ce57 ^ seed;
}

/** Feed one value; types are distinguished (1 ≠ '1', null ≠ ''). */
export function hashFeed(v: string | number | boolean | null | undefined): void {
  if (v === null || v === undefined) feedCode(0x110000);
  else if (typeof v === 'boolean') feedCode(v ? 0x110002 : 0x110003);
  else if (typeof v === 'number') {
    feedCode(0x110001);
    // Most numbers are dates and counts: their digits without making the string.
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) feedDigits(v);
    else feedText(String(v));
  } else {
    feedCode(0x110004);
    feedText(v);
  }
}

function feedCode(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}

// The state in locals while a value's characters are fed (module variables cost a load and a store per character).
function feedText(s: string): void {
  let a = h1;
  let b = h2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  h1 = a;
  h2 = b;
}

/** The character codes of String(n) for a whole number 0 … 2³¹ − 1. */
function feedDigits(n: number): void {
  let a = h1;
  let b = h2;
  let div = 1;
  while (div * 10 <= n) div *= 10;
  for (; div >= 1; div /= 10) {
    const d = Math.floor(n / div);
    n -= d * div;
    a = Math.imul(a ^ (48 + d), 2654435761);
    b = Math.imul(b ^ (48 + d), 1597334677);
  }
  h1 = a;
  h2 = b;
}

export function hashEnd(): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Hash of a string, e.g. a seed from the tool version and register id. */
export function hashString(s: string): number {
  hashStart(0);
  hashFeed(s);
  return hashEnd();
}
