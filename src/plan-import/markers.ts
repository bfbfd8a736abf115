// Numbering typed by hand at the start of a line (一、 （一） (一)、 1、 1. （1） ① ⑴ a、 第一章 - 1、 …): which family, which ordinal, and the text after it.

export interface Marker {
  /** Numbering family: lines of one family at one place are siblings ("cn" 一、, "cn-paren" （一）, "ar" 1、 …). */
  family: string;
  ordinal: number;
  /** The marker as written, with its punctuation ("（一）、", "1.", "- 1、"). */
  text: string;
  /** The line after the marker. */
  rest: string;
  /** A numeral written without its punctuation ("一工作重点…", "5加强…"): numbering only where the sequence says so. */
  bare?: boolean;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105; NaN when it is not a numeral. */
export function chineseNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch in CN_DIGITS) cur = CN_DIGITS[ch]!;
    else if (ch === '十') {
      total += (cur || 1) * 10;
      cur = 0;
    } else if (ch === '百') {
      total += (cur || 1) * 100;
      cur = 0;
    } else return NaN;
  }
  return total + cur;
}

const CN = '[一二三四五六七八九十百]{1,4}';
/** "一、二类疫苗", "三、四级" are words, not numbering. */
const NOT_AFTER_CN = /^[一二三四五六七八九十]+[级类档等期线批种个次年]/;
/** A bare number followed by one of these is a quantity ("5月份", "3个"), not numbering. */
const QUANTITY = /^[年月日号时分秒周天岁次人个名家户项条份场期批点元万亿千百十%％‰℃米斤种类级度倍座间所床台辆支剂针型\d.．：:\-—～~至到]/;

interface Family {
  family: string;
  re: RegExp;
  ordinal: (m: RegExpExecArray) => number;
}

/** Tried in order; the first that matches wins. Each regex matches the whole marker, punctuation and spaces after it. */
const FAMILIES: Family[] = [
  { family: 'chapter', re: new RegExp(`^第\\s*(${CN}|\\d{1,3})\\s*[章部]分?\\s*[、.．:：]?\\s*`), ordinal: (m) => chineseNumber(m[1]!) },
  { family: 'chapter-section', re: new RegExp(`^第\\s*(${CN}|\\d{1,3})\\s*节\\s*[、.．:：]?\\s*`), ordinal: (m) => chineseNumber(m[1]!) },
  { family: 'cn-paren', re: new RegExp(`^[（(]\\s*(${CN})\\s*[)）]\\s*[、.．,，:：]?\\s*`), ordinal: (m) => chineseNumber(m[1]!) },
  { family: 'ar-paren', re: /^[（(]\s*(\d{1,2})\s*[)）]\s*[、.．,，:：]?\s*/, ordinal: (m) => Number(m[1]) },
  { family: 'circled', re: /^([\u2460-\u2473])\s*[、.．,，]?\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 0x2460 + 1 },
  { family: 'paren-digit', re: /^([\u2474-\u2487])\s*[、.．,，]?\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 0x2474 + 1 },
  { family: 'digit-stop', re: /^([\u2488-\u249b])\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 0x2488 + 1 },
  { family: 'cn-circled', re: /^([\u3220-\u3229])\s*[、.．]?\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 0x3220 + 1 },
  { family: 'roman', re: /^([\u2160-\u216b])\s*[、.．]?\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 0x2160 + 1 },
  { family: 'decimal', re: /^(\d{1,2}(?:[.．]\d{1,2}){1,3})(?:\s+|[、．](?!\d))\s*/, ordinal: (m) => Number(m[1]!.split(/[.．]/).pop()) },
  { family: 'cn', re: new RegExp(`^(${CN})\\s*[、.．,，]\\s*`), ordinal: (m) => chineseNumber(m[1]!) },
  { family: 'ar-half-paren', re: /^(\d{1,2})\s*[)）]\s*/, ordinal: (m) => Number(m[1]) },
  { family: 'ar', re: /^(\d{1,2})\s*(?:、|[.．](?!\d)|[.．](?=(?:19|20)(?:\d\d|[xX×]{2})年)|[,，](?!\d)|\s+(?=[\u4e00-\u9fff]))\s*/, ordinal: (m) => Number(m[1]) },
  { family: 'latin', re: /^([a-z])\s*[、.．)）]\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 96 },
  { family: 'latin-upper', re: /^([A-Z])\s*[、．)）]\s*/, ordinal: (m) => m[1]!.charCodeAt(0) - 64 },
];

const BULLET = /^[-*•·●○■◆▪►✓√]\s+/;

/** The numbering at the start of a (trimmed) line, or null. Bare numerals are reported with `bare: true`. */
export function readMarker(line: string): Marker | null {
  let bullet = '';
  let text = line;
  const b = BULLET.exec(text);
  if (b) {
    bullet = b[0];
    text = text.slice(b[0].length);
  }
  for (const f of FAMILIES) {
    const m = f.re.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length);
    if (!rest.trim()) continue;
    if (f.family === 'cn' && NOT_AFTER_CN.test(rest)) continue;
    // "1、2月份", "3、4季度", "1、2、3" are numbers, not numbering; "3、65岁及以上老年人" is numbering.
    if ((f.family === 'ar' || f.family === 'ar-half-paren') && /^\d{1,2}(?:[、，,．.]\s*\d|[月日号]|\s*[-—～~至到]\s*\d|季度)/.test(rest)) continue;
    const ordinal = f.ordinal(m);
    if (!Number.isFinite(ordinal) || ordinal < 1) continue;
    return { family: f.family, ordinal, text: (bullet + m[0]).trim(), rest: rest.trim() };
  }
  if (bullet) return { family: 'bullet', ordinal: 0, text: bullet.trim(), rest: text.trim() };
  // A numeral without punctuation: "一工作重点……", "5加强抗菌药物……".
  let m = /^([一二三四五六七八九十]{1,3})(?=[\u4e00-\u9fff])/.exec(text);
  if (m && !NOT_AFTER_CN.test(text) && !/^[一二三四五六七八九十]+[是要则来方些直般切起样定旦同度向致贯律并共边面点句批天年月日周时项位条名家户种类次支场座间所套件对张份本期轮遍下季岁级甲乙线体流基严统保农癌]/.test(text)) {
    const ordinal = chineseNumber(m[1]!);
    if (ordinal >= 1) return { family: 'cn', ordinal, text: m[1]!, rest: text.slice(m[1]!.length).trim(), bare: true };
  }
  m = /^(\d{1,2})(?=[\u4e00-\u9fff])/.exec(text);
  if (m && !QUANTITY.test(text.slice(m[1]!.length))) {
    const ordinal = Number(m[1]);
    if (ordinal >= 1) return { family: 'ar', ordinal, text: m[1]!, rest: text.slice(m[1]!.length).trim(), bare: true };
  }
  return null;
}

/** The numbering of one level in a rendered Word list ("%1、" with chineseCounting → "一、"). */
export function formatNumber(n: number, numFmt: string): string {
  switch (numFmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'chineseLegalSimplified':
    case 'ideographTraditional':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'japaneseCounting':
      return chineseNumeral(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalEnclosedParen':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2474 + n - 1) : `(${n})`;
    case 'decimalEnclosedFullstop':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2488 + n - 1) : `${n}.`;
    case 'lowerLetter':
      return String.fromCharCode(96 + (((n - 1) % 26) + 1));
    case 'upperLetter':
      return String.fromCharCode(64 + (((n - 1) % 26) + 1));
    case 'upperRoman':
      return n >= 1 && n <= 12 ? String.fromCharCode(0x2160 + n - 1) : String(n);
    case 'lowerRoman':
      return n >= 1 && n <= 12 ? String.fromCharCode(0x2170 + n - 1) : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'none':
      return '';
    default:
      return String(n);
  }
}

/** 1 → 一, 12 → 十二, 23 → 二十三. */
export function chineseNumeral(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n]!;
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
  return String(n);
}
