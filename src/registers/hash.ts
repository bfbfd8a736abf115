// A fast 53-bit hash (cyrb53) over a sequence of values, for "unchanged" detection without per-row strings.

let h1 = 0;
let h2 = 0;

export function hashStart(seed: number): void {
  h1 = 0xdeadbeef ^ seed;
  h2 = 0x41c6ce57 ^ seed;
}

function feedCode(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}

/** Feed one value; types are distinguished (1 ≠ '1', null ≠ ''). */
export function hashFeed(v: string | number | boolean | null | undefined): void {
  if (v === null || v === undefined) {
    feedCode(0x110000);
    return;
  }
  if (typeof v === 'number') {
    feedCode(0x110001);
    v = String(v);
  } else if (typeof v === 'boolean') {
    feedCode(v ? 0x110002 : 0x110003);
    return;
  } else feedCode(0x110004);
  let a = h1;
  let b = h2;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
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
