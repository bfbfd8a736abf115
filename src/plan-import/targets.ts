// Targets written in sentences ("高血压患者规范管理率不低于65%", "0岁组接种率98%以上,1-6岁组95%以上"): found, parsed with the plan's own target parser, linked to the catalogue only when the name means the same indicator.
import { parseTarget } from '../plan/parse-target.js';
import type { IndicatorLookup } from './catalog.js';
import type { Check, FoundTarget, Meta, Node } from './tree.js';

const NAME = '[^，,；;。：:！!？?\\s（）()“”"、][^，,；;。：:！!？?\\n（）()“”"]{0,40}?(?:率|比例|比率|覆盖面|满意度|占比)';
const OP = '达到或超过|达到或高于|不低于|不少于|不小于|不超过|不高于|不大于|保持在|稳定在|控制在|提高到|提升到|上升到|降低到|降到|下降到|低于|高于|超过|大于|小于|至少|保持|达到|达|为|在|≥|≧|>=|>|＞|≤|≦|<=|<|＜|&gt;|&lt;|gt;|lt;';
const NUM = '\\d+(?:\\.\\d+)?|[xX×]{1,3}';
const UNIT = '%|％|‰|/10万|／10万';
const SUFFIX = '及以上|或以上|以上|以下|以内|之内|左右|上下';
const TREND = '为零|为0|零发生|逐年上升|逐年提高|逐年增加|逐年下降|逐年降低|逐年减少|稳步提高|稳步提升|稳中有升|有所提高|有所提升|有所下降|明显提高|不断提高|持续提高';
/** Words between a name and its target that do not change it ("要", "力争"). */
const VERB_GAP = '(?:要|应|须|需|必须|力争|争取|确保|计划|均|都|全部|分别)?';

/** A count or an amount that grows ("门诊人次增加20%", "业务收入在上年度基础上增长10%"). */
const AMOUNT = '[^，,；;。：:！!？?\\s（）()“”"、][^，,；;。：:！!？?\\n（）()“”"]{0,20}?(?:人次|人数|收入|业务量|门诊量|服务量|例数|数量)';
const BASE = '(?:比上年|较上年|比去年|较去年|同比|在上年度?的?基础上|比上一年)?';
const GROWING = new RegExp(`(${AMOUNT})\\s*${BASE}\\s*((?:增长|增加|提高|提升|下降|降低|减少)\\s*(?:${NUM})\\s*%)`, 'g');
/** "规范化管理不低于85%": a rate named without 率, only with an explicit comparison. */
const UNNAMED_RATE = new RegExp(`([^，,；;。：:！!？?\\s（）()“”"、][^，,；;。：:！!？?\\n（）()“”"]{1,30}?(?:管理|覆盖|知晓|达标))\\s*(不低于|不少于|达到|≥|不高于|控制在|低于)\\s*(${NUM})\\s*(${UNIT})\\s*(${SUFFIX})?`, 'g');
const THRESHOLD = new RegExp(`(${NAME})\\s*${VERB_GAP}\\s*(${OP})?\\s*(${NUM})\\s*(${UNIT})\\s*(${SUFFIX})?`, 'g');
const TRENDING = new RegExp(`(${NAME})\\s*(${TREND})`, 'g');
/** A percentage in a clause without a name: "1-6岁组95%以上" after "0岁组接种率98%以上". */
const ELLIPTIC = new RegExp(`(?<=^|[，,；;、])\\s*([^，,；;。：:、%]{1,12}?)\\s*(${OP})?\\s*(${NUM})\\s*(${UNIT})\\s*(${SUFFIX})?`, 'g');
const RANGE_TAIL = /^\s*[-~～—–至到]\s*\d+(?:\.\d+)?\s*(?:%|％|‰)?/;
const PERCENT = new RegExp(`(?:${NUM})\\s*(?:${UNIT})`);

/** Words before a name that are not part of it ("一是全市", "力争", "年底"). */
const LEAD = /^(?:[一二三四五六七八九十]是|[其同]时|力争|争取|确保|保证|要求|努力|全年|年内|年底前?|到年底|今年|明年|本年度|年度|全市|全县|全镇|全乡|全区|全院|辖区内?|本辖区|各县市区|县市区|各乡镇|各村|我院|我中心|我站|我所|本院|进一步|并且?|和|及|且|将|要|使|实现|完成|提高|做到|同比|力求)+/;
/** Verbs inside a run of words: the name starts after the last one ("计划免疫保证0岁组接种率" → 0岁组接种率). */
const VERB = /(?:保证|确保|力争|争取|要求|达到|实现|提高|提升|完成|做到|使|让)/g;

export interface TargetStats {
  /** Sentences holding a percentage or a trend after a rate. */
  sentences: number;
  /** Of those, sentences where at least one target was found. */
  withTargets: number;
}

interface Sentence {
  text: string;
  at: number;
  node: Node | Meta;
}

/** Split text into sentences at 。！？；; and line breaks. */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[。！？；!?])|(?<=(?<!&?(?:gt|lt|amp|nbsp|quot));)|\n/).map((s) => s.trim()).filter(Boolean);
}

function nameCandidates(raw: string): string[] {
  // "建卡率和发证率、卡证相符率" names three indicators.
  const parts = raw.split(/[、和及与]/);
  if (parts.length > 1 && parts.every((p) => /(?:率|比例|比率)$/.test(p) && [...p].length >= 2)) return parts;
  return [raw];
}

function cleanName(raw: string, lookup: IndicatorLookup): { name: string; ref?: ReturnType<IndicatorLookup> } {
  const compact = raw.replace(/[ \u3000]+/g, '');
  const stripped = compact.replace(LEAD, '') || compact;
  const hit = lookup(stripped);
  if (hit) return { name: stripped, ref: hit };
  let after = stripped;
  for (const m of stripped.matchAll(VERB)) after = stripped.slice(m.index! + m[0].length);
  if (after !== stripped && [...after].length >= 3) {
    const cut = after.replace(LEAD, '') || after;
    return { name: cut, ref: lookup(cut) };
  }
  return { name: stripped };
}

/**
 * Find the targets in the given sentences. A name links to the catalogue only by its exact name or alias (same vaccine,
 * dose, programme and thing counted); anything else is a 自定义 target named as the author wrote it.
 */
export function findTargets(sentences: Sentence[], lookup: IndicatorLookup, checks: Check[]): { targets: FoundTarget[]; stats: TargetStats } {
  const targets: FoundTarget[] = [];
  const stats: TargetStats = { sentences: 0, withTargets: 0 };
  for (const s of sentences) {
    const found: FoundTarget[] = [];
    const covered: Array<[number, number]> = [];
    const add = (rawName: string, target: string, placeholder: boolean, start: number, end: number) => {
      covered.push([start, end]);
      for (const raw of nameCandidates(rawName)) {
        const { name, ref } = cleanName(raw, lookup);
        const unitOk = !ref || (target.includes('%') || target.includes('％') ? ref.unit === '%' : !/[‰万]/.test(target) || ref.unit !== '%');
        const t: FoundTarget = { name, target, sentence: s.text, at: s.at, node: s.node, placeholder, ...(ref && unitOk ? { indicator: { id: ref.id, name: ref.name } } : {}) };
        found.push(t);
      }
    };
    for (const m of s.text.matchAll(THRESHOLD)) {
      const [, name, op = '', num, unit, suffix = ''] = m;
      // "90%-95%" is a range: kept whole, so the parser can say it cannot be judged.
      const range = suffix ? '' : (RANGE_TAIL.exec(s.text.slice(m.index! + m[0].length))?.[0] ?? '');
      add(name!, `${op === '在' ? '' : op}${num}${unit}${suffix}${range.replace(/\s+/g, '')}`, /[xX×]/.test(num!), m.index!, m.index! + m[0].length + range.length);
    }
    for (const m of s.text.matchAll(TRENDING)) add(m[1]!, m[2]!, false, m.index!, m.index! + m[0].length);
    for (const m of s.text.matchAll(GROWING)) add(m[1]!, m[2]!.replace(/\s+/g, ''), /[xX×]/.test(m[2]!), m.index!, m.index! + m[0].length);
    for (const m of s.text.matchAll(UNNAMED_RATE)) {
      if (covered.some(([a, b]) => m.index! < b && m.index! + m[0].length > a)) continue;
      const [, name, op, num, unit, suffix = ''] = m;
      add(name!, `${op}${num}${unit}${suffix}`, /[xX×]/.test(num!), m.index!, m.index! + m[0].length);
    }
    // Elliptic targets continue the name of the target before them in the same sentence.
    for (const m of s.text.matchAll(ELLIPTIC)) {
      const start = m.index!;
      if (covered.some(([a, b]) => start < b && start + m[0].length > a)) continue;
      const prev = found.filter((f) => s.text.indexOf(f.name) < start).at(-1);
      const prefix = m[1]!.trim();
      if (!prev || !prefix) continue;
      const k = prev.name.lastIndexOf(prefix.at(-1)!);
      if (k < 0 || k === prev.name.length - 1) continue;
      const [, , op = '', num, unit, suffix = ''] = m;
      add(prefix + prev.name.slice(k + 1), `${op === '在' ? '' : op}${num}${unit}${suffix}`, /[xX×]/.test(num!), start, start + m[0].length);
    }
    if (PERCENT.test(s.text) || found.length) stats.sentences++;
    if (found.length) stats.withTargets++;
    for (const t of found) {
      if (/gt;|lt;/.test(t.target)) {
        checks.push({ code: 'IMPORT_HTML_ENTITY', severity: 'warning', message: `目标“${t.name}${t.target}”中的“${/gt;/.test(t.target) ? 'gt;' : 'lt;'}”是网页转义后的“${/gt;/.test(t.target) ? '>' : '<'}”，已按该符号理解，请核对`, at: t.at, ref: t });
        t.target = t.target.replace(/&?gt;/g, '>').replace(/&?lt;/g, '<');
      }
      const parsed = parseTarget(t.target);
      if (t.placeholder) {
        checks.push({ code: 'IMPORT_TARGET_PLACEHOLDER', severity: 'warning', message: `“${t.name}”的目标“${t.target}”还是占位符，请填写实际数值`, at: t.at, ref: t });
      } else if (!('target' in parsed)) {
        checks.push({ code: 'IMPORT_TARGET_UNCLEAR', severity: 'warning', message: `“${t.name}”的目标“${t.target}”写法不明确（${parsed.error.message}），请改成明确的界限`, at: t.at, ref: t });
      }
      if (!t.indicator) {
        checks.push({ code: 'IMPORT_TARGET_CUSTOM', severity: 'info', message: `指标目录中没有“${t.name}”，按自定义指标写入；若与目录中某个指标是同一回事（同一疫苗、同一剂次、同一人群），请改成目录中的名称`, at: t.at, ref: t });
      }
      targets.push(t);
    }
  }
  return { targets, stats };
}
