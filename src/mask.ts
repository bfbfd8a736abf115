// Personal data on the terminal: masked by what a value is — an ID card number, a mobile number, a long run of digits —
// and by what a column holds (a name). Every terminal output (gap lists, rejected rows, messages quoting values) masks
// here; files the user asks for (-o, 0600) keep full values.

/** `430102********1234`: the region and the last four stay (enough to tell two people apart, not to identify one). */
export function maskIdNumber(s: string): string {
  return s.length <= 10 ? '*'.repeat(s.length) : `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

/** `王*明`, `王*`, `欧**娜`. */
export function maskName(s: string): string {
  const chars = [...s];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A run of 7 or more digits (phone, ID, account number) with its middle masked: 138****5678, 430102********1234. */
export function maskDigits(run: string): string {
  if (run.length >= 15) return maskIdNumber(run);
  const head = run.length >= 11 ? 3 : 2;
  const tail = run.length >= 11 ? 4 : 2;
  return `${run.slice(0, head)}${'*'.repeat(run.length - head - tail)}${run.slice(-tail)}`;
}

/** Any run of 7 or more digits (with an ID number's final X): for quoting a value in a message. */
export const LONG_DIGITS = /\d{7,}[Xx]?/g;

const DATE = '(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
/** An 18-digit (or old 15-digit) ID card number: region, birth date, sequence, check character. */
const ID_NUMBER = new RegExp(`(?<![0-9A-Za-z])(?:\\d{6}${DATE}\\d{3}[\\dXx]|\\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3})(?![0-9A-Za-z])`, 'g');
/** A mainland mobile number, with or without +86 and separators: 138 1234 5678, 138-1234-5678. */
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g;

/** Text with every ID card number and mobile number in it masked; other text (a 17-digit 档案编号, dates, counts) as it is. */
export function maskPersonalNumbers(text: string): string {
  return text.replace(ID_NUMBER, maskIdNumber).replace(MOBILE, (m) => {
    const digits = m.replace(/\D/g, '').slice(-11);
    return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  });
}

/** What a column holds, for masking: a name, an ID number, or anything else (masked by what its values are). */
export type PersonalKind = 'name' | 'id' | undefined;

/** One cell for the terminal: a name column masked as a name, an ID column as an ID, any text by what it is. */
export function maskCell(value: unknown, kind?: PersonalKind): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const s = typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e15 ? BigInt(value).toString() : String(value);
  if (kind === 'id') return maskIdNumber(s);
  if (kind === 'name') return maskName(maskPersonalNumbers(s));
  const masked = maskPersonalNumbers(s);
  return masked === s ? value : masked;
}

/** Rows for the terminal: every cell masked by its column's kind (`kinds`, by key) or by what it is. */
export function maskRows<R extends Record<string, unknown>>(rows: R[], kinds: ReadonlyMap<string, PersonalKind> = new Map()): R[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, maskCell(v, kinds.get(k))])) as R);
}
