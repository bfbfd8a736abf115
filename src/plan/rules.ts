// Domain rules beyond the schema: indicators, targets, deadlines, placeholders, numbering, departments, YAML retyping.
import type { Scalar } from 'yaml';
import { normalizeIndicatorName, type IndicatorCatalog } from '../catalog/indicators.js';
import type { Issue, Severity } from '../issues.js';
import { positionAt, yamlLib, type YamlSource } from '../yaml-source.js';
import { ACCEPTED_DEADLINE_FORMS, parseDeadline } from './deadline.js';
import { asList, type Attachment, FIXED_BODY_KEYS, type Part, type Plan, type Section, SECTION_KEYS, type Table, type Task } from './model.js';
import { ACCEPTED_TARGET_FORMS, parseTarget } from './parse-target.js';
import { customOwner, targetProblems, type TargetOwner } from './target-check.js';
import type { Target } from '../catalog/target.js';
import { targetEntries } from './plan-targets.js';
import { planExplainer, planText } from './load.js';

type Path = (string | number)[];

export const PLACEHOLDER_RE = /20[xX×*＊]{2}|20\d[xX×*＊](?![A-Za-z])|[*＊]+(?=[年月日])|[xX×]{2,}\s*[%％‰]|(?<![A-Za-z])[xX×]+\s*(?:次|人|个|名|场|份|例|天|家|户|期|年|月|日|号|届|岁|元|万|所|项|篇|批|床|[%％‰])|[xX×]{2,}(?:卫生院|乡|镇|村|县|市|区|社区|中心|医院|科)|(?<![A-Za-z0-9])(?:[xX]{2,}|×{2,})(?![A-Za-z0-9])|(?<=[\u4e00-\u9fff])[xX](?=[\u4e00-\u9fff])(?![光线射])|某某|＿{2,}|_{3,}|…{2,}|○○/;
export const NUMBERING_RE = /^\s*(?:[一二三四五六七八九十百]+\s*[、.．](?![一二三四五六七八九十]+[级类档等期线])|[（(]\s*[一二三四五六七八九十百]+\s*[)）]|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)|[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[)）]|[①-⑳⑴-⒇㈠-㈩]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]|第[一二三四五六七八九十]+(?:[、章节部分条篇]|项[、：:]))/;

/**
 * Domain rules. With `src` null (the fast path for files that parse and pass the schema), positions are not
 * computed: callers re-run with the YAML source when any issue comes back.
 */
export function checkPlan(plan: Plan, src: YamlSource | null, catalog: IndicatorCatalog, file = src?.file ?? '', tainted: Path[] = []): Issue[] {
  const issues: Issue[] = [];
  const at = (path: Path, onKey = false) => (src ? positionAt(src, path, onKey) : { line: 0, col: 0 });
  const add = (code: string, severity: Severity, message: string, path: Path, hint?: string, onKey = false) => {
    // Rules about a whole part (empty section, total of weights …) say nothing where the schema already failed inside it.
    const scope = AGGREGATE[code]?.(path);
    if (scope && tainted.some((t) => scope.every((x, i) => t[i] === x))) return;
    issues.push({ code, severity, message, file, ...at(path, onKey), ...(hint ? { hint } : {}) });
  };
  const year = plan.年度;

  // Indicator targets: known indicator, parseable target that means what it says for its indicator, no duplicates.
  const unknown = (name: string, path: Path) => {
    const u = unknownIndicator(name, catalog);
    add('PLAN_UNKNOWN_INDICATOR', 'error', u.message, path, u.hint);
  };
  /** The problems of one target: phrasing, then unit and range for its indicator. Undefined when it cannot be read. */
  const checkValue = (text: string | number, path: Path, owner: (t: Target) => TargetOwner): Target | undefined => {
    const r = parseTarget(text);
    if (!('target' in r)) {
      add(r.error.code, 'error', r.error.message, path, `可用的写法：${ACCEPTED_TARGET_FORMS}`);
      return undefined;
    }
    for (const p of targetProblems(r.target, text, owner(r.target))) add(p.code, p.severity, p.message, path, p.hint);
    return r.target;
  };
  const seen = new Map<string, { text: string; path: Path }>();
  const checkTarget = (name: string, text: string | number | undefined, path: Path, baseline?: number, custom = false) => {
    if (typeof name !== 'string') return;
    // 自定义: not in the catalogue by the author's choice; its target is checked all the same.
    const def = custom ? undefined : catalog.resolve(name);
    if (!custom && !def) {
      // The target is still read (as a 自定义 one would be): a rate without % is wrong whichever indicator is meant.
      unknown(name, [...path, '指标']);
      if (text !== undefined) checkValue(text, [...path, '目标'], (t) => customOwner(name, t));
      return;
    }
    if (text === undefined) return;
    const t = checkValue(text, [...path, '目标'], (t) => (def ? { name: def.name, kind: def.kind, unit: def.unit } : customOwner(name, t)));
    if (t && t.kind !== 'threshold' && baseline === undefined && typeof text === 'string') {
      add('PLAN_TARGET_NO_BASELINE', 'warning', `趋势/增长目标“${text}”没有写“基线”（上一年度的值），年底无法判断是否完成`, [...path, '目标']);
    }
    const key = def ? def.id : `custom:${normalizeIndicatorName(name)}`;
    const shown = def?.name ?? name;
    const prev = seen.get(key);
    if (prev) {
      const same = prev.text === String(text);
      add('PLAN_TARGET_DUPLICATE', same ? 'warning' : 'error', same ? `「${shown}」的目标重复写了两次` : `「${shown}」有两个不同的目标：“${prev.text}”和“${String(text)}”`, [...path, '指标'],
        `第一次出现在第 ${at(prev.path).line} 行。`);
    } else seen.set(key, { text: String(text), path });
  };
  for (const { entry, path } of targetEntries(plan)) if (entry && typeof entry === 'object') checkTarget(entry.指标, entry.目标, path, entry.基线, entry.自定义 === true);

  // Assessment: indicators exist, weights add up to 100, grades descending.
  const k = plan.考核;
  if (k) {
    const seenAssess = new Set<string>();
    // A 考核 item may score one of the plan's own 自定义 indicators (its value comes from the values file).
    const customTargets = new Set(targetEntries(plan).flatMap(({ entry }) => (entry?.自定义 === true && typeof entry.指标 === 'string' ? [normalizeIndicatorName(entry.指标)] : [])));
    (k.指标 ?? []).forEach((it, i) => {
      if (typeof it?.指标 !== 'string') return;
      const def = catalog.resolve(it.指标);
      if (!def && customTargets.has(normalizeIndicatorName(it.指标))) {
        const key = `custom:${normalizeIndicatorName(it.指标)}`;
        if (seenAssess.has(key)) add('PLAN_ASSESS_DUPLICATE', 'error', `考核指标「${it.指标}」重复`, ['考核', '指标', i, '指标']);
        seenAssess.add(key);
        if (it.目标 !== undefined) checkValue(it.目标, ['考核', '指标', i, '目标'], (t) => customOwner(it.指标, t));
        return;
      }
      if (!def) {
        unknown(it.指标, ['考核', '指标', i, '指标']);
        if (it.目标 !== undefined) checkValue(it.目标, ['考核', '指标', i, '目标'], (t) => customOwner(it.指标, t));
        return;
      }
      if (seenAssess.has(def.id)) add('PLAN_ASSESS_DUPLICATE', 'error', `考核指标「${def.name}」重复`, ['考核', '指标', i, '指标']);
      seenAssess.add(def.id);
      if (it.目标 !== undefined) {
        checkValue(it.目标, ['考核', '指标', i, '目标'], () => ({ name: def.name, kind: def.kind, unit: def.unit }));
      } else if (!seen.has(def.id)) {
        add('PLAN_ASSESS_NO_TARGET', 'error', `考核指标「${def.name}」没有目标：请写“目标”，或在工作目标中给出该指标的目标`, ['考核', '指标', i]);
      }
    });
    const total = [...(k.指标 ?? []), ...(k.其他项目 ?? [])].reduce((s, it) => s + (typeof it?.分值 === 'number' ? it.分值 : 0), 0);
    if ((k.指标?.length || k.其他项目?.length) && Math.abs(total - 100) > 1e-9) {
      add('PLAN_ASSESS_TOTAL', 'error', `考核各项分值合计为 ${+total.toFixed(2)} 分，应为 100 分`, ['考核'], undefined, true);
    }
    (k.其他项目 ?? []).forEach((it, i) => {
      if (typeof it?.得分 === 'number' && typeof it.分值 === 'number' && it.得分 > it.分值) add('PLAN_ASSESS_SCORE', 'error', `「${it.名称}」的得分 ${it.得分} 超过了分值 ${it.分值}`, ['考核', '其他项目', i, '得分']);
    });
    // Scoring rules the assessment understands (else the document would state a rule the author did not write).
    const checkRule = (rule: unknown, path: Path) => {
      if (typeof rule === 'string' && !scoringRuleKnown(rule)) add('PLAN_ASSESS_RULE', 'error', `看不懂评分办法“${rule}”`, path, `可用的写法：${ACCEPTED_RULE_FORMS}`);
    };
    checkRule(k.评分办法, ['考核', '评分办法']);
    (k.指标 ?? []).forEach((it, i) => checkRule(it?.评分办法, ['考核', '指标', i, '评分办法']));
    // Grades: known grades from best to worst with falling thresholds, one starting at 0, results only for grades that exist.
    const grades = k.等级 && typeof k.等级 === 'object' ? Object.entries(k.等级).filter(([, m]) => typeof m === 'number') : undefined;
    if (grades?.length) {
      const ranked = grades.filter(([g]) => GRADE_ORDER.includes(g)).sort((a, b) => GRADE_ORDER.indexOf(a[0]) - GRADE_ORDER.indexOf(b[0]));
      for (let i = 1; i < ranked.length; i++) {
        const [hi, hiMin] = ranked[i - 1]!;
        const [lo, loMin] = ranked[i]!;
        if (loMin >= hiMin) add('PLAN_ASSESS_GRADES', 'error', `等级「${lo}」的最低分 ${loMin} 不低于「${hi}」的 ${hiMin}`, ['考核', '等级', lo], '从优秀到不合格，各等级的最低分应依次降低。');
      }
      const mins = grades.map(([, m]) => m);
      if (Math.min(...mins) > 0) {
        const [lowest, lowMin] = grades.reduce((a, b) => (b[1] < a[1] ? b : a));
        add('PLAN_ASSESS_GRADES', 'warning', `等级中没有从 0 分起的一档：低于 ${lowMin} 分也会评为「${lowest}」`, ['考核', '等级'], '加上“不合格: 0”。', true);
      }
    }
    const gradeNames = grades?.length ? grades.map(([g]) => g) : DEFAULT_GRADE_NAMES;
    checkCategories(k, add);
    if (k.结果运用 && typeof k.结果运用 === 'object' && !Array.isArray(k.结果运用)) {
      for (const g of Object.keys(k.结果运用)) {
        if (!gradeNames.includes(g)) add('PLAN_ASSESS_CONSEQUENCE', 'warning', `结果运用中的「${g}」不是考核等级`, ['考核', '结果运用', g], `等级有：${gradeNames.join('、')}`, true);
      }
    }
  } else if (plan.文档类型 === '考核方案') {
    add('PLAN_ASSESS_MISSING', 'warning', '文档类型是考核方案，但没有“考核”部分（考核指标、分值、等级）', ['文档类型'], '见 docs/plan-format.md 的“考核方案”一节。', true);
  }

  // Sections: depth, empty sections, numbering typed by hand; tasks: deadlines, departments, indicators (the plan's own 自定义 ones too).
  const customNames = new Set(targetEntries(plan).flatMap(({ entry }) => (entry?.自定义 === true && typeof entry.指标 === 'string' ? [normalizeIndicatorName(entry.指标)] : [])));
  // “公卫办、妇幼科” (or a Chinese comma inside a [list]) names several departments.
  const names = (d: unknown): string[] => (typeof d === 'string' ? d.split(/[、，,；;]/).map((x) => x.trim()).filter(Boolean) : []);
  const declared = new Set<string>([...(Array.isArray(plan.部门) ? plan.部门 : []), ...(Array.isArray(plan.责任分工) ? plan.责任分工 : []).map((r) => r?.科室)].flatMap(names));
  const checkDept = (v: unknown, path: Path) => {
    if (!declared.size) return;
    asList(v as string | string[]).forEach((d, i) => {
      for (const name of names(d)) {
        if (!declared.has(name)) {
          add('PLAN_DEPARTMENT_UNKNOWN', 'warning', `责任科室「${name}」不在本计划声明的科室中`, Array.isArray(v) ? [...path, i] : path, `已声明：${[...declared].join('、')}（在“部门”或“责任分工”中声明）`);
        }
      }
    });
  };
  const checkDeadline = (text: string, path: Path) => {
    if (typeof text !== 'string') return;
    const r = parseDeadline(text, year);
    if (!r.ok) {
      add(r.reason === 'invalid-date' ? 'PLAN_DEADLINE_INVALID' : 'PLAN_DEADLINE_UNPARSEABLE', 'error', r.reason === 'invalid-date' ? `完成时限“${text}”不是有效日期` : `无法理解完成时限“${text}”`, path, `可用的写法：${ACCEPTED_DEADLINE_FORMS}`);
    } else if (r.year !== undefined && Number.isInteger(year) && r.year !== year) {
      add('PLAN_DEADLINE_YEAR', 'error', `完成时限“${text}”不在计划年度 ${year} 年内`, path);
    }
  };
  const checkTitle = (title: string, path: Path) => {
    if (typeof title !== 'string') return;
    if (NUMBERING_RE.test(title)) add('PLAN_MANUAL_NUMBERING', 'error', `标题“${title}”里手写了编号，生成文档时会自动编号`, path, '请删去开头的“一、”“（一）”“1.”等编号。');
  };
  const checkTask = (t: Task, path: Path) => {
    if (!t || typeof t !== 'object') return;
    if (t.标题) checkTitle(t.标题, [...path, '标题']);
    if (t.完成时限) checkDeadline(t.完成时限, [...path, '完成时限']);
    checkDept(t.责任科室, [...path, '责任科室']);
    checkDept(t.配合科室, [...path, '配合科室']);
    (t.关联指标 ?? []).forEach((n, i) => {
      if (typeof n === 'string' && !catalog.resolve(n) && !customNames.has(normalizeIndicatorName(n))) unknown(n, [...path, '关联指标', i]);
    });
  };
  /** 条目 with a number typed by hand, tables whose rows are not as wide as the header. */
  const checkContent = (p: Part, path: Path) => {
    (Array.isArray(p.条目) ? p.条目 : []).forEach((item, i) => {
      if (typeof item === 'string' && NUMBERING_RE.test(item)) {
        add('PLAN_MANUAL_NUMBERING', 'error', `条目“${item.length > 20 ? item.slice(0, 20) + '…' : item}”里手写了编号，生成文档时会自动编号 1、2、3、`, [...path, '条目', i], '请删去开头的“1、”“（1）”等编号。');
      }
    });
    const tables: Array<{ t: Table; path: Path }> = Array.isArray(p.表格) ? p.表格.map((t, i) => ({ t, path: [...path, '表格', i] })) : p.表格 ? [{ t: p.表格, path: [...path, '表格'] }] : [];
    for (const { t, path: tp } of tables) {
      if (!t || typeof t !== 'object' || !Array.isArray(t.表头) || !Array.isArray(t.行)) continue;
      const width = t.表头.length;
      t.行.forEach((row, r) => {
        if (Array.isArray(row) && row.length !== width) {
          add('PLAN_TABLE_WIDTH', 'error', `表格第 ${r + 1} 行有 ${row.length} 格，表头有 ${width} 列`, [...tp, '行', r], `每行的格数要与表头（${t.表头.join('、')}）相同；空格写 ""。`);
        }
      });
    }
  };
  const isEmpty = (p: Part) => !asList(p.内容).length && !p.条目?.length && !asList(p.表格).length && !p.任务?.length && !p.小节?.length && !p.指标?.length && !asList(p.结尾).length;
  const walk = (s: Section | Attachment, path: Path, depth: number, what = '章节') => {
    if (!s || typeof s !== 'object') return;
    if (depth > 4) add('PLAN_SECTION_DEPTH', 'error', `章节“${s.标题}”是第 ${depth} 级，最多只能有 4 级`, [...path, '标题']);
    checkTitle(s.标题, [...path, '标题']);
    if (isEmpty(s)) add('PLAN_EMPTY_SECTION', 'warning', `${what}“${s.标题}”没有任何内容`, [...path, '标题']);
    checkContent(s, path);
    ('任务' in s && Array.isArray(s.任务) ? s.任务 : []).forEach((t, i) => checkTask(t, [...path, '任务', i]));
    (Array.isArray(s.小节) ? s.小节 : []).forEach((c, i) => walk(c, [...path, '小节', i], depth + 1));
  };
  for (const key of SECTION_KEYS) {
    const v = plan[key];
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') (v as Section[]).forEach((s, i) => walk(s, [key, i], 1));
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const part = v as Part;
      if (isEmpty(part)) add('PLAN_EMPTY_SECTION', 'warning', `“${key}”没有任何内容`, [key, '标题'], undefined, true);
      checkContent(part, [key]);
      (Array.isArray(part.任务) ? part.任务 : []).forEach((t, i) => checkTask(t, [key, '任务', i]));
      (Array.isArray(part.小节) ? part.小节 : []).forEach((c, i) => walk(c, [key, '小节', i], 1));
    }
  }
  // 正文: the author's chapters; the fixed body keys are chapters of it then, not beside it (the order would be a guess).
  if (Array.isArray(plan.正文)) {
    plan.正文.forEach((s, i) => walk(s, ['正文', i], 1));
    for (const key of FIXED_BODY_KEYS) {
      if (plan[key] !== undefined) {
        add('PLAN_BODY_MIXED', 'error', `写了“正文”，又写了“${key}”：两者同时写时各部分的先后无法确定`, [key], `把“${key}”写成“正文”中的一章（- 标题: ${key}），放在它应在的位置。`, true);
      }
    }
  }
  if (Array.isArray(plan.附件)) {
    plan.附件.forEach((a, i) => {
      if (a && typeof a === 'object' && typeof a.标题 === 'string' && /^\s*附\s*件\s*(?:[0-9０-９一二三四五六七八九十]+\s*[：:、.．]?|[：:])/.test(a.标题)) {
        add('PLAN_MANUAL_NUMBERING', 'error', `附件标题“${a.标题}”里写了“附件”和编号，生成文档时会自动写出“附件1”`, ['附件', i, '标题'], '只写附件的名称，如 绩效考核评分表。');
      }
      walk(a, ['附件', i], 1, '附件');
    });
  }
  if (typeof plan.印发日期 === 'string' && Number.isInteger(year) && !plan.印发日期.startsWith(String(year)) && !plan.印发日期.startsWith(String(year - 1))) {
    add('PLAN_DATE_YEAR', 'warning', `印发日期 ${plan.印发日期} 与计划年度 ${year} 年不符`, ['印发日期']);
  }
  (plan.完成时限 ?? []).forEach((m, i) => {
    if (!m || typeof m !== 'object') return;
    checkDeadline(m.时限, ['完成时限', i, '时限']);
    checkDept(m.责任科室, ['完成时限', i, '责任科室']);
  });
  if (Number.isInteger(year) && typeof plan.发文日期 === 'string' && !plan.发文日期.startsWith(String(year)) && !plan.发文日期.startsWith(String(year - 1))) {
    add('PLAN_DATE_YEAR', 'warning', `发文日期 ${plan.发文日期} 与计划年度 ${year} 年不符`, ['发文日期']);
  }
  const titleYear = typeof plan.标题 === 'string' ? plan.标题.match(/(20\d\d)年/)?.[1] : undefined;
  if (titleYear && Number.isInteger(year) && Number(titleYear) !== year) add('PLAN_TITLE_YEAR', 'warning', `标题中的年份 ${titleYear} 与“年度: ${year}”不一致`, ['标题']);

  if (src) issues.push(...textIssues(src));
  else if (hasPlaceholder(plan)) issues.push({ code: 'PLAN_PLACEHOLDER', severity: 'error', message: '', file, line: 0, col: 0 });
  return issues;
}

/**
 * 考核 categories: each item's 类别 is one of 分类 (when 分类 is written), every declared category has items, and its
 * items add up to its subtotal.
 */
function checkCategories(k: NonNullable<Plan['考核']>, add: (code: string, severity: Severity, message: string, path: Path, hint?: string, onKey?: boolean) => void) {
  const declared = k.分类 && typeof k.分类 === 'object' && !Array.isArray(k.分类) ? Object.entries(k.分类).filter(([, v]) => typeof v === 'number') : undefined;
  const items = [
    ...(Array.isArray(k.指标) ? k.指标 : []).map((it, i) => ({ it, path: ['考核', '指标', i] as Path })),
    ...(Array.isArray(k.其他项目) ? k.其他项目 : []).map((it, i) => ({ it, path: ['考核', '其他项目', i] as Path })),
  ].filter(({ it }) => it && typeof it === 'object');
  if (!declared) return;
  const names = declared.map(([c]) => c);
  const sums = new Map<string, number>(names.map((c) => [c, 0]));
  for (const { it, path } of items) {
    const c = it.类别;
    if (c === undefined) {
      add('PLAN_ASSESS_CATEGORY', 'error', `写了“分类”，「${'指标' in it ? it.名称 ?? it.指标 : it.名称}」却没有写“类别”`, path, `类别有：${names.join('、')}`, true);
    } else if (typeof c === 'string' && !sums.has(c)) {
      const near = names.find((n) => n.includes(c) || c.includes(n));
      add('PLAN_ASSESS_CATEGORY', 'error', `类别「${c}」不在“分类”中${near ? `，是否要写「${near}」？` : ''}`, [...path, '类别'], `类别有：${names.join('、')}`);
    } else if (typeof c === 'string' && typeof it.分值 === 'number') sums.set(c, sums.get(c)! + it.分值);
  }
  for (const [c, subtotal] of declared) {
    const sum = +sums.get(c)!.toFixed(2);
    if (Math.abs(sum - subtotal) > 1e-9) {
      add('PLAN_ASSESS_CATEGORY_TOTAL', 'error', sum === 0 ? `类别「${c}」（${subtotal}分）下没有考核项目` : `类别「${c}」各项分值合计为 ${sum} 分，小计写的是 ${subtotal} 分`, ['考核', '分类', c], '改正小计，或各项的分值、类别。');
    }
  }
}

/** PLAN_UNKNOWN_INDICATOR: the indicators of the same meaning, or 自定义 when the catalogue has none. */
export function unknownIndicator(name: string, catalog: IndicatorCatalog): { message: string; hint: string } {
  const { best, more } = catalog.suggestions(name);
  const custom = '加“自定义: true”（目标照样检查、写入文档，但不从登记表计算）';
  if (!best.length) return { message: `未知指标「${name}」：指标目录中没有同一含义的指标`, hint: `目录之外的指标${custom}；用 gongwei indicators list 查看目录中的全部指标。` };
  const names = best.slice(0, 6).map((d) => `「${d.name}」`);
  const ask = names.length === 1 ? names[0] : names.length === 2 ? names.join('或') : `${names.join('')}中的一个`;
  const also = more.length ? `相近的还有：${more.slice(0, 3).map((d) => d.name).join('、')}。` : '';
  const doses = best.some((d) => d.vaccine) ? '目录中的接种率按疫苗和剂次分列；指几剂合计等目录之外的指标时' : '指的都不是时';
  return { message: `未知指标「${name}」，是否要写${ask}？`, hint: `${also}${doses}，${custom}。` };
}

/** Rules that judge a whole part of the plan → that part's path (from the issue's path). */
const AGGREGATE: Record<string, (p: Path) => Path> = {
  PLAN_EMPTY_SECTION: (p) => p.slice(0, -1),
  PLAN_ASSESS_TOTAL: () => ['考核'],
  PLAN_ASSESS_NO_TARGET: (p) => p,
  PLAN_ASSESS_MISSING: () => ['考核'],
  PLAN_ASSESS_GRADES: () => ['考核', '等级'],
  PLAN_ASSESS_CATEGORY_TOTAL: (p) => p.slice(0, 2),
};

const GRADE_ORDER = ['优秀', '良好', '合格', '基本合格', '不合格'];
const DEFAULT_GRADE_NAMES = ['优秀', '合格', '基本合格', '不合格'];
export const ACCEPTED_RULE_FORMS = '达标得满分，未达标按完成比例得分；达标得分（未达标不得分）；每低1个百分点扣2分';

/** A 评分办法 the assessment can apply (the same forms `plan assess` reads: 按比例 / 不得分 / 扣N分). */
export function scoringRuleKnown(rule: string): boolean {
  return /按比例|比例/.test(rule) || /不得分|全或无|达标得分/.test(rule) || /扣\s*\d+(?:\.\d+)?\s*分/.test(rule);
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
