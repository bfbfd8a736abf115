// Values quoted in messages: whatever may be personal data (a phone or ID number, a name in a shifted column) is masked.
import { LONG_DIGITS, maskDigits, maskIdNumber, maskName } from '../mask.js';

/** A number for a message: digit runs long enough to be a phone or an ID are masked. */
export function echoNumber(v: number): string {
  const s = Number.isInteger(v) && Math.abs(v) >= 1e15 ? BigInt(v).toString() : String(v);
  return s.replace(LONG_DIGITS, maskDigits);
}

/**
 * Text for a message: long digit runs masked, and a value without any of the words `expected` (a vaccine name has
 * 苗/疫/乙肝 …) masked like a name (欧阳娜娜 → 欧**娜): a name or village in the wrong column is never printed whole.
 */
export function echoText(s: string, expected: RegExp): string {
  const t = s.replace(LONG_DIGITS, maskDigits);
  return expected.test(t) ? t : maskName(t);
}

/** A stored value quoted in a catalogue check's message: a personal column's value masked, long digit runs in any other. */
export function echoValue(v: string | number, col: { type: string; personal?: boolean }): string {
  const s = typeof v === 'number' ? echoNumber(v) : v.replace(LONG_DIGITS, maskDigits);
  if (!col.personal) return s;
  return col.type === 'id_number' ? maskIdNumber(String(v)) : s === String(v) ? maskName(s) : s;
}
