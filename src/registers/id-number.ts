// 居民身份证号: normalisation, 18-digit checksum (GB 11643), 15 → 18 upgrade, birth date in the number.
import { halfWidth } from '../normalize.js';
import { ymd } from './dates.js';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * W[i]!;
  return CHECK[s % 11]!;
}

export type IdResult =
  | { ok: true; value: string; birth?: string; warning?: 'REG_ID_CHECKSUM' | 'REG_ID_15_DIGITS' | 'REG_ID_BIRTH_INVALID' }
  | { ok: false; code: 'REG_ID_PRECISION_LOST' | 'REG_ID_INVALID' };

/** Check and normalise an ID number cell (numbers are never trusted: Excel keeps 15 significant digits). */
export function parseIdNumber(v: string | number): IdResult {
  if (typeof v === 'number') {
    // 18 digits cannot survive as a double; 17 digits means the trailing X was lost.
    if (Number.isInteger(v) && String(v).length === 15) return parseIdNumber(String(v));
    return { ok: false, code: 'REG_ID_PRECISION_LOST' };
  }
  const s = halfWidth(v).replace(/[\s'’‘]/g, '').toUpperCase();
  if (/^\d(\.\d+)?E\+?\d+$/.test(s)) return { ok: false, code: 'REG_ID_PRECISION_LOST' };
  if (/^\d{17}$/.test(s) || /^\d{16,18}\.0+$/.test(s)) return { ok: false, code: 'REG_ID_PRECISION_LOST' };
  if (/^\d{15}$/.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    const value = first17 + idCheckChar(first17);
    const birth = ymd(+value.slice(6, 10), +value.slice(10, 12), +value.slice(12, 14));
    return { ok: true, value, birth, warning: 'REG_ID_15_DIGITS' };
  }
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, code: 'REG_ID_INVALID' };
  const birth = ymd(+s.slice(6, 10), +s.slice(10, 12), +s.slice(12, 14));
  if (!birth) return { ok: true, value: s, warning: 'REG_ID_BIRTH_INVALID' };
  if (idCheckChar(s) !== s[17]) {
    // Excel shows a number with 15 significant digits and zeros after (430102197903053000): the end is lost, not mistyped.
    if (s.endsWith('000')) return { ok: false, code: 'REG_ID_PRECISION_LOST' };
    return { ok: true, value: s, birth, warning: 'REG_ID_CHECKSUM' };
  }
  return { ok: true, value: s, birth };
}
