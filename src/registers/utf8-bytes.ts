// UTF-8 text that keeps the bytes which are not UTF-8: each one becomes a lone surrogate (U+DC80–U+DCFF), so a cell can
// later be read back as bytes and told apart: Chinese text in GB18030/GBK (a row pasted from a GBK file) or garbage.
import { isUtf8 } from 'node:buffer';

/** Length of the valid UTF-8 sequence starting at i (a lead byte ≥ 0x80), or 0 if the bytes there are not UTF-8. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = b.length;
  if (c >= 0xc2 && c <= 0xdf) return i + 1 < n && (b[i + 1]! & 0xc0) === 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= n) return 0;
    const c1 = b[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return c1 >= lo && c1 <= hi && (b[i + 2]! & 0xc0) === 0x80 ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= n) return 0;
    const c1 = b[i + 1]!;
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return c1 >= lo && c1 <= hi && (b[i + 2]! & 0xc0) === 0x80 && (b[i + 3]! & 0xc0) === 0x80 ? 4 : 0;
  }
  return 0;
}

/** Decode UTF-8; every byte that is not part of a valid sequence becomes U+DC00 + byte. */
export function decodeUtf8KeepingBytes(b: Buffer): string {
  if (isUtf8(b)) return b.toString('utf8');
  let out = '';
  let run = 0;
  let i = 0;
  while (i < b.length) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(b, i);
    if (len) {
      i += len;
      continue;
    }
    out += b.toString('utf8', run, i) + String.fromCharCode(0xdc00 | b[i]!);
    i++;
    run = i;
  }
  return out + b.toString('utf8', run, b.length);
}

/** Where a chunk may be cut without splitting a UTF-8 sequence: before an incomplete sequence at its end. */
export function completeUtf8End(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    if (c < 0xc0) return n;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return need > k ? n - k : n;
  }
  return n;
}

/** A decoded string holding kept bytes (lone surrogates U+DC80–U+DCFF) or U+FFFD: test for any bad character. */
export const BAD_CHARS = /[\uFFFD\uDC80-\uDCFF]/;

/** The bytes a decoded cell came from (kept bytes as themselves, the rest as UTF-8). */
function cellBytes(s: string): Buffer {
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) {
      parts.push(Buffer.from(s.slice(run, i), 'utf8'), Buffer.from([c & 0xff]));
      run = i + 1;
    }
  }
  parts.push(Buffer.from(s.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

// What Chinese text in a register cell holds: CJK ideographs, CJK and full-width punctuation, the middle dot of
// minority names (阿卜杜·热合曼), quotes and dashes. GB18030 decodes almost any byte pair, so anything else means garbage.
const CHINESE_TEXT = /^[\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*$/;
const HAS_IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/** Text a Chinese register cell may hold (ASCII, ideographs, Chinese punctuation). */
export function isChineseText(s: string): boolean {
  return CHINESE_TEXT.test(s);
}

/** Chinese text with at least one ideograph (what a row of a register typed in Chinese reads as). */
export function isChineseWords(s: string): boolean {
  return CHINESE_TEXT.test(s) && HAS_IDEOGRAPH.test(s);
}

/**
 * A cell of a UTF-8 file holding kept bytes (or, in a row that has such cells, valid UTF-8 that is not Chinese text): the Chinese text those bytes are in GB18030/GBK when they read as such
 * (every byte decodes, only Chinese characters and punctuation come out, at least one ideograph), else undefined.
 */
export function readAsGb18030(s: string): string | undefined {
  if (s.indexOf('\uFFFD') >= 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(cellBytes(s));
  } catch {
    return undefined;
  }
  return isChineseWords(text) ? text : undefined;
}

/** Kept bytes shown as U+FFFD (what a person sees in their place). */
export function replacementShown(s: string): string {
  return s.replace(/[\uDC80-\uDCFF]+/g, '\uFFFD');
}
