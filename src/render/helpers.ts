// Chinese helpers for documents: numerals, dates, periods, values, target phrases and the result sentences of a summary.
import { loadIndicatorCatalog } from '../catalog/indicators.js';
import type { IndicatorResult } from '../indicators/types.js';
import { formatValue, isRateUnit, numberText, oneDecimal, targetPhrase } from '../catalog/target.js';
import { chineseNumeral, sectionNumber } from './numbering.js';

export { chineseNumeral, sectionNumber, formatValue, targetPhrase };

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

/** '2025-03-05' → 2025年3月5日 (text that is not a date is returned as is). */
export function formatDate(iso: unknown): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(String(iso ?? ''));
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : String(iso ?? '');
}

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

/** Period labels in words: 2025 → 2025年, 2025Q2 → 2025年第二季度, 2025-03 → 2025年3月, 2025-01..2025-06 → 2025年1—6月. */
export function formatPeriod(label: unknown): string {
  const s = String(label ?? '');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) return `${m[1]}年`;
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return `${m[1]}年${QUARTERS[Number(m[2]) - 1]}`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return `${m[1]}年${Number(m[2])}月`;
  if ((m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(s))) {
    return m[1] === m[3] ? `${m[1]}年${Number(m[2])}—${Number(m[4])}月` : `${m[1]}年${Number(m[2])}月—${m[3]}年${Number(m[4])}月`;
  }
  return s;
}

function catalogEntry(id: string) {
  try {
    return loadIndicatorCatalog().get(id);
  } catch {
    return undefined;
  }
}
const gapVerb = (id: string): string | undefined => catalogEntry(id)?.gapVerb;
/** The catalogue's verb for closing a gap (规范管理, 接种, 补种 …). */
export const gapVerbOf = gapVerb;
/** The catalogue's Chinese name of an indicator (the id when it is not in the catalogue). */
export const indicatorName = (id: string): string => catalogEntry(id)?.name ?? id;

/** What a gap counts (catalogue data): 人, 例 for report cards, a count's own unit. */
export function gapUnit(id: string): string {
  return catalogEntry(id)?.gapUnit ?? '人';
}

/** Population columns as a document names them (the computation's reasons name the database column). */
const POPULATION_WORDS: Record<string, string> = {
  resident_population: '常住人口数',
  registered_population: '户籍人口数',
  children_0_6: '0～6岁儿童数',
  elderly_65: '65岁及以上老年人数',
  hypertension_estimated: '高血压患者估算数',
  diabetes_estimated: '2型糖尿病患者估算数',
  smi_estimated: '严重精神障碍患者估算数',
};

/**
 * Why a value is missing, as words that fit inside one pair of brackets in a sentence: no database column names,
 * no brackets inside brackets, no trailing "无法计算" (the sentence says that itself).
 * "缺少2025年人口基础数据（resident_population），无法计算" → "缺少2025年人口基础数据中的常住人口数";
 * "分母为0（统计期间内没有应统计的对象）" → "分母为0，统计期间内没有应统计的对象".
 */
export function reasonWords(reason: unknown): string {
  let s = String(reason ?? '').trim();
  s = s.replace(/（([a-z0-9_]+)）/g, (_m, col: string) => (POPULATION_WORDS[col] ? `中的${POPULATION_WORDS[col]}` : ''));
  s = s.replace(/[a-z]+(?:_[a-z0-9]+)+/g, (col) => POPULATION_WORDS[col] ?? '');
  s = s.replace(/[，,]?\s*无法计算[。]?$/, '');
  s = s.replace(/（([^（）]*)）/g, '，$1');
  return s.replace(/[。；;，,\s]+$/, '');
}

/**
 * The sentence a summary says about one result (documents.md):
 * "高血压患者规范管理率达到67.2%（目标不低于65%），完成年度目标。" /
 * "高血压患者规范管理率为58.1%，低于目标6.9个百分点，还需规范管理23人。"
 */
export function resultSentence(
  r: Pick<IndicatorResult, 'id' | 'name' | 'value' | 'unit' | 'kind' | 'target' | 'status' | 'gap' | 'reason'>,
  opts: { gapVerb?: string } = {},
): string {
  const unit = String(r.unit);
  const reason = reasonWords(r.reason);
  if (r.value === null || r.value === undefined) return `${r.name}无数据${reason ? `（${reason}）` : ''}。`;
  const v = formatValue(r.value, unit);
  const t = r.target;
  if (!t || r.status === '无目标' || r.status === undefined) return `${r.name}为${v}。`;
  const tp = targetPhrase(t);
  if (r.status === '达标') {
    const lower = t.kind === 'threshold' && (t.op === '<=' || t.op === '<' || (t.op === '=' && t.value === 0));
    return `${r.name}${lower ? '为' : '达到'}${v}（目标${tp}），完成年度目标。`;
  }
  const parts = [`${r.name}为${v}`];
  if (t.kind === 'threshold') {
    const diff = Math.abs(r.value - t.value);
    const above = r.value > t.value;
    if (isRateUnit(unit)) parts.push(`${above ? '高于' : '低于'}目标${oneDecimal(diff)}个${unit === '‰' ? '千分点' : unit === '%' ? '百分点' : `（${unit}）`}`);
    else parts.push(`比目标${above ? '多' : '少'}${numberText(diff)}${unit}`);
  } else parts.push(`未达到目标（${tp}）`);
  if (r.gap) {
    const verb = opts.gapVerb ?? gapVerb(r.id);
    const lower = t.kind === 'threshold' && (t.op === '<=' || t.op === '<');
    if (r.kind === 'rate') parts.push(`还需${verb ?? (lower ? '减少' : '')}${r.gap}${gapUnit(r.id)}`);
  }
  return `${parts.join('，')}。`;
}
