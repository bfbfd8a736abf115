// Places in the text to look at, never changed by the import: placeholders (20xx, xx%), web-page leftovers, phrases repeated by a machine, escaped or undisplayable characters.
import { PLACEHOLDER_RE } from '../plan/rules.js';
import type { Check } from './tree.js';
import { quote } from './quote.js';

/** Leftovers of the web pages the text was copied from. */
const WEB_TEXT = /我要投稿|由会员分享|可在线阅读|珍藏版|配套讲稿|特殊限制|关\s*键\s*词|下一页|更多精彩|小编推荐|栏目查看更多|查看更多内容|相关推荐|精选\s*\d+\s*篇|通用\s*\d+\s*篇|本文来源|版权归|https?:\/\/|www\.|\.docx?(?:[》」”)）]|$)|时间\s*[:：]\s*\d{4}-\d{2}-\d{2}/;
/** A phrase of 2–20 characters written three or more times in a row, or a phrase of 6 or more twice. */
const REPEATED = /(.{2,20}?)\1{2,}|(.{6,30}?)\2/u;


/** Checks on one piece of text; `ref` is what the comment attaches to. */
export function textChecks(text: string, at: number, ref: Check['ref']): Check[] {
  const out: Check[] = [];
  for (const m of text.matchAll(new RegExp(PLACEHOLDER_RE.source, 'g'))) {
    out.push({ code: 'IMPORT_PLACEHOLDER', severity: 'warning', message: `占位符“${m[0]}”没有填写（“${quote(text.slice(Math.max(0, m.index! - 6), m.index! + m[0].length + 6), 20)}”），请换成实际内容`, at, ref });
  }
  const w = WEB_TEXT.exec(text);
  if (w) out.push({ code: 'IMPORT_WEB_TEXT', severity: 'warning', message: `“${quote(text, 20)}”像是网页上的文字（“${w[0]}”），不像计划的内容，请核对后删去`, at, ref });
  const r = REPEATED.exec(text);
  if (r && !/^[\d\s.,，、.。…_＿\-—=*]+$/.test(r[1] ?? r[2]!)) {
    const unit = r[1] ?? r[2]!;
    const times = r[0].length / unit.length;
    out.push({ code: 'IMPORT_REPEATED_TEXT', severity: 'warning', message: `“${quote(unit, 20)}”连续重复了 ${times} 次，可能是复制时多出来的，请核对`, at, ref });
  }
  const e = /&?(?:gt|lt|amp|nbsp|quot);/.exec(text);
  if (e) out.push({ code: 'IMPORT_HTML_ENTITY', severity: 'warning', message: `“${e[0]}”是网页转义字符（“${quote(text, 12)}”），请改成它代表的符号`, at, ref });
  const odd = /[□�\ufffd]/.exec(text);
  if (odd) out.push({ code: 'IMPORT_ODD_CHARACTER', severity: 'warning', message: `“${quote(text.slice(Math.max(0, odd.index - 8), odd.index + 8), 20)}”中的“${odd[0]}”可能是没能显示的字符，请核对`, at, ref });
  return out;
}
