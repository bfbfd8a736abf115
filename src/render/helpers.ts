// Chinese helpers for documents and templates: numerals, amounts, dates, periods, values, target phrases, reasons and
// the result sentences of a summary (the phrasing itself lives with what it phrases; templates find it all here).
import { chineseNumeral, sectionNumber } from './numbering.js';

export { chineseNumeral, sectionNumber };
export { formatValue, targetPhrase } from '../catalog/target.js';
export { chineseDate as formatDate } from '../calendar.js';
export { formatPeriod } from '../indicators/period.js';
export { reasonWords } from '../indicators/reason-words.js';
export { resultSentence } from '../summary/sentences.js';

const CAPITAL = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CAPITAL_UNITS = ['', '拾', '佰', '仟'];

/** 大写 amount in 元: 1234.5 → 壹仟贰佰叁拾肆元伍角. */
export function capitalAmount(amount: number): string {
  if (!Number.isFinite(amount) || amount < 0) return String(amount);
  const fen = Math.round(amount * 100);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const f = fen % 10;
  const group = (n: number) => {
    let s = '';
    let zero = false;
    const d = String(n).padStart(4, '0').split('').map(Number);
    d.forEach((x, i) => {
      if (x === 0) zero = s !== '';
      else {
        if (zero) s += '零';
        zero = false;
        s += CAPITAL[x]! + CAPITAL_UNITS[3 - i]!;
      }
    });
    return s;
  };
  let y = '';
  if (yuan === 0) y = '零';
  else {
    const yi = Math.floor(yuan / 1e8);
    const wan = Math.floor(yuan / 1e4) % 1e4;
    const ge = yuan % 1e4;
    if (yi) y += group(yi) + '亿';
    if (wan) y += (yi && wan < 1000 ? '零' : '') + group(wan) + '万';
    if (ge) y += ((yi || wan) && ge < 1000 ? '零' : '') + group(ge);
  }
  let out = `${y}元`;
  if (!jiao && !f) return out + '整';
  if (jiao) out += `${CAPITAL[jiao]}角`;
  else if (y !== '零') out += '零';
  if (f) out += `${CAPITAL[f]}分`;
  return out;
}
