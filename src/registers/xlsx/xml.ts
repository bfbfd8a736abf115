// Small XML helpers for xlsx parts: entity and _xHHHH_ decoding, attributes, text of <t> runs, date number formats.

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Line ends, XML entities (named and numeric), then Excel's _xHHHH_ escapes (_x000D_ → CR, _x005F_ → _). */
export function decodeText(s: string): string {
  // XML end-of-line handling: literal CR LF / CR are read as LF (an escaped &#13; or _x000D_ stays CR).
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  if (s.indexOf('&') >= 0) {
    s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      return NAMED[e] ?? m;
    });
  }
  if (s.indexOf('_x') >= 0) s = s.replace(/_x([0-9a-fA-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s;
}

/** The value of attribute `name` in a start tag's attribute text (no prefix handling beyond an exact match). */
export function attr(tag: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  const m = re.exec(tag);
  return m ? decodeText(m[1] ?? m[2] ?? '') : undefined;
}

const T_RE = /<(?:[\w.-]+:)?t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?t>)/g;
const RPH_RE = /<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g;

/** The text of an <si> or <is> body: all <t> runs concatenated (phonetic <rPh> runs excluded). */
export function runsText(body: string): string {
  if (body.indexOf('rPh') >= 0) body = body.replace(RPH_RE, '');
  let out = '';
  T_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = T_RE.exec(body))) if (m[1]) out += m[1];
  return decodeText(out);
}

/** Built-in number formats that are dates or times (incl. the East Asian ids Excel uses for Chinese locales). */
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILTIN_DATE.has(id);
  // Drop quoted literals, [colour]/[$-locale]/[h] sections, escaped and padding characters.
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  const first = bare.split(';')[0];
  if (/general/i.test(first)) return false;
  return /[ymdhs年月日时分秒]/i.test(first) || (/\[h+\]|\[m+\]|\[s+\]/i.test(code) && !/[0#?]/.test(first));
}
