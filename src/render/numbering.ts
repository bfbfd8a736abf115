// Chinese counting numerals and the section numbering of official documents: 一、 （一） 1. （1）.

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const UNITS = ['', '十', '百', '千'];

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 23 → 二十三, 105 → 一百零五, 1000 → 一千, 10000 → 一万. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n === 0) return '零';
  if (n >= 10000) {
    const hi = Math.floor(n / 10000);
    const lo = n % 10000;
    return `${chineseNumeral(hi)}万${lo === 0 ? '' : lo < 1000 ? '零' + chineseNumeral(lo) : chineseNumeral(lo)}`;
  }
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i]!;
    if (d === 0) {
      zero = true;
      return;
    }
    if (zero && out) out += '零';
    zero = false;
    out += DIGITS[d]! + unit;
  });
  return n >= 10 && n < 20 ? out.replace(/^一十/, '十') : out;
}

/** The number of a heading at a level (1–4) for the nth heading under its parent (1-based). */
export function sectionNumber(level: 1 | 2 | 3 | 4, n: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(n)}、`;
    case 2:
      return `（${chineseNumeral(n)}）`;
    case 3:
      return `${n}.`;
    default:
      return `（${n}）`;
  }
}

/** Counters for levels 1–4: `next(level)` returns the number and resets deeper levels. */
export function headingCounter() {
  const c = [0, 0, 0, 0];
  return (level: 1 | 2 | 3 | 4): string => {
    c[level - 1]!++;
    for (let i = level; i < 4; i++) c[i] = 0;
    return sectionNumber(level, c[level - 1]!);
  };
}
