// Text and header normalisation: full-width ASCII, spaces, line breaks, brackets, units.

/** Full-width ASCII (！…～) and the ideographic space become their half-width forms. */
export function halfWidth(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
      needs = true;
      break;
    }
  }
  if (!needs) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

const WS = /[\s\u00a0\u200b\ufeff]+/g;
const BRACKETS: Record<string, string> = { '【': '(', '】': ')', '〔': '(', '〕': ')', '[': '(', ']': ')', '「': '', '」': '', '『': '', '』': '', '〈': '(', '〉': ')', '《': '', '》': '' };

/** Canonical form of a header cell: half-width, no whitespace, unified brackets, no required-marks or trailing colon. */
export function normalizeHeader(h: unknown): string {
  if (h === null || h === undefined) return '';
  let s = halfWidth(String(h));
  s = s.replace(WS, '');
  s = s.replace(/[【】〔〕[\]「」『』〈〉《》]/g, (m) => BRACKETS[m] ?? m);
  s = s.replace(/^\*+|\*+$/g, '').replace(/[:：]+$/, '');
  s = s.replace(/～|〜|~|—|–/g, '-');
  return s.toLowerCase();
}

/** The header without any bracketed part (units like `(mmHg)`, notes like `(是/否)`). */
export function stripBracketed(h: string): string {
  return h.replace(/\([^()]*\)/g, '').replace(/\(.*$/, '');
}

/** Trim and normalise a text value (full-width ASCII to half-width, inner line breaks to spaces). */
export function normalizeText(s: string): string {
  const t = halfWidth(s).trim();
  return t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0 ? t.replace(/\s*[\r\n]+\s*/g, ' ') : t;
}

/** A key for loose name matching (register names, enum values). */
export function looseKey(s: string): string {
  return normalizeHeader(s).replace(/[()\-_/、，,。.·]/g, '');
}
