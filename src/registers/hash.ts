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
  // The state in locals while a value is fed (module variables cost a load and a store per character).
  let a = h1;
  let b = h2;
  let code: number;
  if (v === null || v === undefined) code = 0x110000;
  else if (typeof v === 'boolean') code = v ? 0x110002 : 0x110003;
  else if (typeof v === 'number') {
    a = Math.imul(a ^ 0x110001, 2654435761);
    b = Math.imul(b ^ 0x110001, 1597334677);
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) {
      // The digits of String(v), without making the string (most numbers are dates and counts).
      let div = 1;
      while (div * 10 <= v) div *= 10;
      for (let n = v; div >= 1; div /= 10) {
        const d = Math.floor(n / div);
        n -= d * div;
        a = Math.imul(a ^ (48 + d), 2654435761);
        b = Math.imul(b ^ (48 + d), 1597334677);
      }
    } else {
      const s = String(v);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        a = Math.imul(a ^ c, 2654435761);
        b = Math.imul(b ^ c, 1597334677);
      }
    }
    h1 = a;
    h2 = b;
    return;
  } else {
    a = Math.imul(a ^ 0x110004, 2654435761);
    b = Math.imul(b ^ 0x110004, 1597334677);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      a = Math.imul(a ^ c, 2654435761);
      b = Math.imul(b ^ c, 1597334677);
    }
    h1 = a;
    h2 = b;
    return;
  }
  h1 = Math.imul(a ^ code, 2654435761);
  h2 = Math.imul(b ^ code, 1597334677);
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
