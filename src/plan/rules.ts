// Domain rules beyond the schema: indicators, targets, deadlines, placeholders, numbering, departments, YAML retyping.
import type { Scalar } from 'yaml';
import type { IndicatorCatalog } from '../indicators/catalog.js';
import type { Issue, Severity } from '../issues.js';
import { positionAt, yamlLib, type YamlSource } from '../yaml-source.js';
import { ACCEPTED_DEADLINE_FORMS, parseDeadline } from './deadline.js';
import { asList, type Plan, type Section, SECTION_KEYS, type Task } from './model.js';
import { ACCEPTED_TARGET_FORMS, parseTarget } from './target.js';
import { targetEntries } from './targets.js';
import { planExplainer, planText } from './load.js';

type Path = (string | number)[];

export const PLACEHOLDER_RE = /20[xX×]{2}|[xX×]{2,}\s*[%％‰]|(?<![A-Za-z])[xX×]{1,3}\s*(?:次|人|个|名|场|份|例|天|家|户|期)|[xX×]{2,}(?:卫生院|乡|镇|村|县|市|区|社区|中心|医院|科)|某某|＿{2,}|_{3,}|…{2,}|○○/;
export const NUMBERING_RE = /^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[)）]|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)|[（(]\s*\d{1,2}\s*[)）]|[①-⑳]|第[一二三四五六七八九十]+(?:[、章节部分条]|项[、：:]))/;

/**
 * Domain rules. With `src` null (the fast path for files that parse and pass the schema), positions are not
 * computed: callers re-run with the YAML source when any issue comes back.
 */
export function checkPlan(plan: Plan, src: YamlSource | null, catalog: IndicatorCatalog, file = src?.file ?? ''): Issue[] {
  const issues: Issue[] = [];
  const at = (path: Path, onKey = false) => (src ? positionAt(src, path, onKey) : { line: 0, col: 0 });
  const add = (code: string, severity: Severity, message: string, path: Path, hint?: string, onKey = false) =>
    issues.push({ code, severity, message, file, ...at(path, onKey), ...(hint ? { hint } : {}) });
  const year = plan.年度;

  // Indicator targets: known indicator, parseable target, sensible range and unit, no duplicates.
  const seen = new Map<string, { text: string; path: Path }>();
  const checkTarget = (name: string, text: string | number | undefined, path: Path, baseline?: number) => {
    const def = catalog.resolve(name);
    if (!def) {
      const sug = catalog.suggest(name).map((d) => d.name);
      add('PLAN_UNKNOWN_INDICATOR', 'error', `未知指标「${name}」${sug.length ? `，是否要写「${sug[0]}」？` : ''}`, [...path, '指标'],
        sug.length > 1 ? `相近的指标：${sug.join('、')}` : '用 gongwei indicators list 查看全部指标名称。');
      return;
    }
    if (text === undefined) return;
    const r = parseTarget(text);
    if (!('target' in r)) {
      add(r.error.code, 'error', r.error.message, [...path, '目标'], `可用的写法：${ACCEPTED_TARGET_FORMS}`);
      return;
    }
    const t = r.target;
    if (t.kind === 'threshold') {
      const rateUnits = ['%', '‰', '/10万'];
      const unit = t.unit || (typeof text === 'number' ? def.unit : '');
      if (unit && rateUnits.includes(String(def.unit)) !== rateUnits.includes(unit)) {
        add('PLAN_TARGET_UNIT', 'error', `「${def.name}」的单位是“${def.unit}”，目标却写成了“${unit}”`, [...path, '目标']);
      } else if (unit && rateUnits.includes(unit) && unit !== def.unit) {
        add('PLAN_TARGET_UNIT', 'error', `「${def.name}」的单位是“${def.unit}”，目标却写成了“${unit}”`, [...path, '目标']);
      } else if (def.unit === '%' && (t.value > 100 || t.value < 0)) {
        add('PLAN_TARGET_RANGE', 'error', `「${def.name}」的目标 ${t.value}% 超出 0～100% 的范围`, [...path, '目标']);
      } else if (def.unit === '‰' && t.value > 1000) {
        add('PLAN_TARGET_RANGE', 'error', `「${def.name}」的目标 ${t.value}‰ 超出范围`, [...path, '目标']);
      } else if (def.unit === '%' && t.value === 100 && (t.op === '>=' || t.op === '>')) {
        add('PLAN_TARGET_100', t.op === '>' ? 'error' : 'warning', t.op === '>' ? `「${def.name}」的目标“${String(text)}”不可能达到（比率不会超过100%）` : `目标“${String(text)}”按“达到100%”理解`, [...path, '目标'], '建议直接写“100%”或“全覆盖”。');
      }
    } else if (baseline === undefined && typeof text === 'string') {
      add('PLAN_TARGET_NO_BASELINE', 'warning', `趋势/增长目标“${text}”没有写“基线”（上一年度的值），年底无法判断是否完成`, [...path, '目标']);
    }
    const prev = seen.get(def.id);
    if (prev) {
      const same = prev.text === String(text);
      add('PLAN_TARGET_DUPLICATE', same ? 'warning' : 'error', same ? `「${def.name}」的目标重复写了两次` : `「${def.name}」有两个不同的目标：“${prev.text}”和“${String(text)}”`, [...path, '指标'],
        `第一次出现在第 ${at(prev.path).line} 行。`);
    } else seen.set(def.id, { text: String(text), path });
  };
  for (const { entry, path } of targetEntries(plan)) checkTarget(entry.指标, entry.目标, path, entry.基线);

  // Assessment: indicators exist, weights add up to 100, grades descending.
  const k = plan.考核;
  if (k) {
    const seenAssess = new Set<string>();
    (k.指标 ?? []).forEach((it, i) => {
      const def = catalog.resolve(it.指标);
      if (!def) {
        const sug = catalog.suggest(it.指标).map((d) => d.name);
        add('PLAN_UNKNOWN_INDICATOR', 'error', `未知指标「${it.指标}」${sug.length ? `，是否要写「${sug[0]}」？` : ''}`, ['考核', '指标', i, '指标']);
        return;
      }
      if (seenAssess.has(def.id)) add('PLAN_ASSESS_DUPLICATE', 'error', `考核指标「${def.name}」重复`, ['考核', '指标', i, '指标']);
      seenAssess.add(def.id);
      if (it.目标 !== undefined) {
        const r = parseTarget(it.目标);
        if (!('target' in r)) add(r.error.code, 'error', r.error.message, ['考核', '指标', i, '目标'], `可用的写法：${ACCEPTED_TARGET_FORMS}`);
      } else if (!seen.has(def.id)) {
        add('PLAN_ASSESS_NO_TARGET', 'error', `考核指标「${def.name}」没有目标：请写“目标”，或在工作目标中给出该指标的目标`, ['考核', '指标', i]);
      }
    });
    const total = [...(k.指标 ?? []), ...(k.其他项目 ?? [])].reduce((s, it) => s + (it.分值 ?? 0), 0);
    if ((k.指标?.length || k.其他项目?.length) && Math.abs(total - 100) > 1e-9) {
      add('PLAN_ASSESS_TOTAL', 'error', `考核各项分值合计为 ${+total.toFixed(2)} 分，应为 100 分`, ['考核'], undefined, true);
    }
    (k.其他项目 ?? []).forEach((it, i) => {
      if (it.得分 !== undefined && it.得分 > it.分值) add('PLAN_ASSESS_SCORE', 'error', `「${it.名称}」的得分 ${it.得分} 超过了分值 ${it.分值}`, ['考核', '其他项目', i, '得分']);
    });
  }

  // Sections: depth, empty sections, numbering typed by hand; tasks: deadlines and departments.
  const declared = new Set<string>([...(plan.部门 ?? []), ...(plan.责任分工 ?? []).map((r) => r.科室)]);
  const checkDept = (v: unknown, path: Path) => {
    if (!declared.size) return;
    asList(v as string | string[]).forEach((d, i) => {
      if (typeof d === 'string' && !declared.has(d)) {
        add('PLAN_DEPARTMENT_UNKNOWN', 'warning', `责任科室「${d}」不在本计划声明的科室中`, Array.isArray(v) ? [...path, i] : path, `已声明：${[...declared].join('、')}（在“部门”或“责任分工”中声明）`);
      }
    });
  };
  const checkDeadline = (text: string, path: Path) => {
    const r = parseDeadline(text, year);
    if (!r.ok) {
      add(r.reason === 'invalid-date' ? 'PLAN_DEADLINE_INVALID' : 'PLAN_DEADLINE_UNPARSEABLE', 'error', r.reason === 'invalid-date' ? `完成时限“${text}”不是有效日期` : `无法理解完成时限“${text}”`, path, `可用的写法：${ACCEPTED_DEADLINE_FORMS}`);
    } else if (r.year !== undefined && r.year !== year) {
      add('PLAN_DEADLINE_YEAR', 'error', `完成时限“${text}”不在计划年度 ${year} 年内`, path);
    }
  };
  const checkTitle = (title: string, path: Path) => {
    if (NUMBERING_RE.test(title)) add('PLAN_MANUAL_NUMBERING', 'error', `标题“${title}”里手写了编号，生成文档时会自动编号`, path, '请删去开头的“一、”“（一）”“1.”等编号。');
  };
  const checkTask = (t: Task, path: Path) => {
    if (typeof t === 'string') return;
    if (t.标题) checkTitle(t.标题, [...path, '标题']);
    if (t.完成时限) checkDeadline(t.完成时限, [...path, '完成时限']);
    checkDept(t.责任科室, [...path, '责任科室']);
    checkDept(t.配合科室, [...path, '配合科室']);
    (t.关联指标 ?? []).forEach((n, i) => {
      if (!catalog.resolve(n)) {
        const sug = catalog.suggest(n).map((d) => d.name);
        add('PLAN_UNKNOWN_INDICATOR', 'error', `未知指标「${n}」${sug.length ? `，是否要写「${sug[0]}」？` : ''}`, [...path, '关联指标', i]);
      }
    });
  };
  const walk = (s: Section, path: Path, depth: number) => {
    if (depth > 4) add('PLAN_SECTION_DEPTH', 'error', `章节“${s.标题}”是第 ${depth} 级，最多只能有 4 级`, [...path, '标题']);
    checkTitle(s.标题, [...path, '标题']);
    if (!asList(s.内容).length && !s.任务?.length && !s.小节?.length && !s.指标?.length) {
      add('PLAN_EMPTY_SECTION', 'warning', `章节“${s.标题}”没有任何内容`, [...path, '标题']);
    }
    (s.任务 ?? []).forEach((t, i) => checkTask(t, [...path, '任务', i]));
    (s.小节 ?? []).forEach((c, i) => walk(c, [...path, '小节', i], depth + 1));
  };
  for (const key of SECTION_KEYS) {
    const v = plan[key];
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') (v as Section[]).forEach((s, i) => walk(s, [key, i], 1));
  }
  (plan.完成时限 ?? []).forEach((m, i) => {
    checkDeadline(m.时限, ['完成时限', i, '时限']);
    checkDept(m.责任科室, ['完成时限', i, '责任科室']);
  });
  if (plan.发文日期 && !plan.发文日期.startsWith(String(year)) && !plan.发文日期.startsWith(String(year - 1))) {
    add('PLAN_DATE_YEAR', 'warning', `发文日期 ${plan.发文日期} 与计划年度 ${year} 年不符`, ['发文日期']);
  }
  const titleYear = plan.标题?.match(/(20\d\d)年/)?.[1];
  if (titleYear && Number(titleYear) !== year) add('PLAN_TITLE_YEAR', 'warning', `标题中的年份 ${titleYear} 与“年度: ${year}”不一致`, ['标题']);

  if (src) issues.push(...textIssues(src));
  else if (hasPlaceholder(plan)) issues.push({ code: 'PLAN_PLACEHOLDER', severity: 'error', message: '', file, line: 0, col: 0 });
  return issues;
}

/** Any placeholder in any string of the plain value (the fast path's check). */
function hasPlaceholder(v: unknown): boolean {
  if (typeof v === 'string') return PLACEHOLDER_RE.test(v);
  if (Array.isArray(v)) return v.some(hasPlaceholder);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => PLACEHOLDER_RE.test(k) || hasPlaceholder(x));
  return false;
}

/** Placeholders left in any text (each one, at its own column), and plain scalars YAML silently retypes (001 → 1). */
export function textIssues(src: YamlSource): Issue[] {
  const { isMap, isPair, isScalar, isSeq, visit } = yamlLib();
  const issues: Issue[] = [];
  const text = planText(src);
  visit(src.doc, {
    Scalar(key, node: Scalar, ancestors) {
      if (!isScalar(node) || !node.range) return;
      const value = node.value;
      if (typeof value === 'string') {
        const re = new RegExp(PLACEHOLDER_RE.source, 'g');
        const raw = text.slice(node.range[0], node.range[1]);
        let from = 0;
        for (let m = re.exec(value); m; m = re.exec(value)) {
          // Column of the placeholder itself when the source shows it as written (plain or quoted on one line), else of the value.
          const at = raw.indexOf(m[0], from);
          if (at >= 0) from = at + m[0].length;
          const pos = src.lines.linePos(node.range[0] + Math.max(at, 0));
          issues.push({ code: 'PLAN_PLACEHOLDER', severity: 'error', message: `文字中还有没填写的占位符“${m[0]}”`, file: src.file, line: pos.line, col: pos.col, hint: '请换成实际的年份、数字或名称。' });
          if (m[0].length === 0) re.lastIndex++;
        }
        return;
      }
      if (node.type !== 'PLAIN' || node.source === undefined || value === null) return;
      const shown = String(value);
      if (node.source === shown) return;
      const pos = src.lines.linePos(node.range[0]);
      if (key === 'key') {
        issues.push({ code: 'PLAN_YAML_RETYPED', severity: 'warning', message: `键“${node.source}”会被读成“${shown}”，如要原样保留请加引号：'${node.source}'`, file: src.file, line: pos.line, col: pos.col });
        return;
      }
      // Where the schema applies it decides: a number where a number is wanted is fine (65.0, 018), and a number where
      // text is wanted is a schema error that already explains the retyping. Only values outside the schema are left.
      const path = jsonPath(ancestors, node, { isMap, isPair, isSeq, isScalar });
      if (path && planExplainer().nodesAt(src.value, path).length) return;
      issues.push({ code: 'PLAN_YAML_RETYPED', severity: 'warning', message: `“${node.source}”会被读成 ${shown}，如要原样保留请加引号：'${node.source}'`, file: src.file, line: pos.line, col: pos.col });
    },
  });
  return issues;
}

type Guards = Pick<ReturnType<typeof yamlLib>, 'isMap' | 'isPair' | 'isSeq' | 'isScalar'>;
/** JSON path of a value node from the visitor's ancestors (Document, maps, pairs, sequences). */
function jsonPath(ancestors: readonly unknown[], node: unknown, g: Guards): Path | undefined {
  const out: Path = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const a = chain[i];
    const next = chain[i + 1];
    if (g.isPair(a)) {
      if (!g.isScalar(a.key)) return undefined;
      out.push(String(a.key.value));
    } else if (g.isSeq(a)) {
      const idx = a.items.indexOf(next as never);
      if (idx < 0) return undefined;
      out.push(idx);
    } else if (g.isMap(a)) continue;
  }
  return out;
}
