// Task deadlines (完成时限): a date, or 第二季度 / 6月底前 / 上半年 / 年底前 / 长期 — as a last day within the plan year.
import { daysInMonth } from '../calendar.js';

export type DeadlineResult =
  | { ok: true; date?: string; ongoing?: boolean; year?: number }
  | { ok: false; reason: 'unparseable' | 'invalid-date' };

const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };
const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : CN[s] ?? NaN);
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export const ACCEPTED_DEADLINE_FORMS = '2025-06-30、2025年6月30日、6月底前、6月30日前、3-6月、第二季度、第二季度末、上半年、下半年、年底前、全年、长期坚持、每月、每季度末';

/** The last day a deadline allows, in the plan year unless it names another year. */
export function parseDeadline(input: string, planYear: number): DeadlineResult {
  let t = input
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[。；;，,]+$/, '')
    // 二〇二五年 → 2025年; 30号 → 30日
    .replace(/^([〇零一二三四五六七八九]{4})年/, (_, y: string) => `${[...y].map((c) => '〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)).join('')}年`)
    .replace(/(\d)号/, '$1日');
  // 次年3月底前 / 明年2月: the year after the plan year (outside it).
  const next = /^(次年|明年|下一年|翌年)/.exec(t);
  if (next) t = `${planYear + 1}年${t.slice(next[0].length)}`;
  // A span (1-3月, 3月至6月, 第一、二季度): its end counts.
  t = t
    .replace(/^(\d{4}年)?(\d{1,2})月?[-~～—至到](\d{1,2}月)/, (_, y = '', _a, b: string) => `${y}${b}`)
    .replace(/^(\d{4}年)?第?[一二三四1-4](?:季度)?[、,至到-]+第?([一二三四1-4])季度/, (_, y = '', q: string) => `${y}第${q}季度`);
  let m: RegExpExecArray | null;
  if (/^(长期|长期坚持|持续|持续开展|常态化|日常|随时|及时|每(日|天|周|旬|月|季度|半年|年)(底|末|初)?|全年|全年度|年内|年内完成|本年度|年度内|全年持续|全年持续开展)$/.test(t)) return { ok: true, ongoing: true, date: iso(planYear, 12, 31) };
  if ((m = /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?(?:前|之前|以前|止)?$/.exec(t))) {
    const y = m[1] ? Number(m[1]) : planYear;
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return { ok: false, reason: 'invalid-date' };
    return { ok: true, date: iso(y, mo, d), year: y };
  }
  if ((m = /^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]|十[一二])月(?:份)?(?:底|末|中旬|上旬|下旬)?(?:前|之前|以前|内|完成)?$/.exec(t))) {
    const y = m[1] ? Number(m[1]) : planYear;
    const mo = num(m[2]!);
    if (!(mo >= 1 && mo <= 12)) return { ok: false, reason: 'invalid-date' };
    return { ok: true, date: iso(y, mo, daysInMonth(y, mo)), year: y };
  }
  if ((m = /^(?:(\d{4})年)?第?([一二三四1-4])季度(?:末|底|前|内)?(?:前|完成)?$/.exec(t))) {
    const y = m[1] ? Number(m[1]) : planYear;
    const q = num(m[2]!);
    return { ok: true, date: iso(y, q * 3, daysInMonth(y, q * 3)), year: y };
  }
  if ((m = /^(?:(\d{4})年)?(上半年|下半年|年中|年底|年末|年终)(?:前|之前|以前|末)?(?:完成)?$/.exec(t))) {
    const y = m[1] ? Number(m[1]) : planYear;
    return { ok: true, date: m[2] === '上半年' || m[2] === '年中' ? iso(y, 6, 30) : iso(y, 12, 31), year: y };
  }
  if ((m = /^(\d{4})年(?:底|末)?(?:前)?$/.exec(t))) return { ok: true, date: iso(Number(m[1]), 12, 31), year: Number(m[1]) };
  return { ok: false, reason: 'unparseable' };
}
