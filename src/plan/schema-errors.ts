// ajv errors → readable Chinese issues with positions; anyOf/oneOf noise collapsed to the best-matching branch.
import type { ErrorObject } from 'ajv';
import type { Issue } from '../issues.js';
import { collapseAlternatives } from '../ajv-errors.js';
import { editDistance } from '../edit-distance.js';
import { nodeAt, positionAt, yamlLib, type YamlSource } from '../yaml-source.js';
import type { Path, SchemaProblem } from './schema-explain.js';

const TYPE_ZH: Record<string, string> = { string: '文字', number: '数字', integer: '整数', array: '列表', object: '键值对象', boolean: '是/否', null: '空值' };

function keyName(instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) if (!/^\d+$/.test(parts[i]!)) {
    const idx = parts.slice(i + 1).map((n) => `第${Number(n) + 1}项`).join('');
    return `「${parts[i]}」${idx}`;
  }
  return '文件顶层';
}

function suggestKey(bad: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of allowed) {
    const d = editDistance(bad, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  // Two characters with one changed is another word (抄送 is not 主送): only longer keys are judged by spelling.
  const limit = [...bad].length <= 2 ? 0 : Math.max(1, Math.floor(bad.length / 2));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** Translate ajv errors of one plan file into issues (code PLAN_SCHEMA_*), deduplicated, in file order. */
export function schemaIssues(errors: ErrorObject[], src: YamlSource, schemaAt: (schemaPath: string) => unknown): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of collapseAlternatives(errors)) {
    let code = 'PLAN_SCHEMA';
    let message: string;
    let hint: string | undefined;
    let path = e.instancePath;
    let onKey = false;
    switch (e.keyword) {
      case 'required':
        code = 'PLAN_SCHEMA_REQUIRED';
        message = `${keyName(e.instancePath)}缺少必填项「${String(e.params.missingProperty)}」`;
        onKey = true;
        break;
      case 'additionalProperties': {
        code = 'PLAN_SCHEMA_UNKNOWN_KEY';
        const bad = String(e.params.additionalProperty);
        // In a $ref'd definition ajv reports schemaPath relative to that definition: only trust a root path at the root.
        const trusted = e.instancePath === '' || !/^#\/?additionalProperties$/.test(e.schemaPath);
        const parent = (trusted ? schemaAt(e.schemaPath.replace(/\/additionalProperties$/, '')) : undefined) as { properties?: Record<string, unknown> } | undefined;
        const allowed = Object.keys(parent?.properties ?? {});
        const sug = suggestKey(bad, allowed);
        message = `不认识的键「${bad}」${sug ? `，是否要写「${sug}」？` : ''}`;
        if (allowed.length) hint = `这里可以写：${allowed.join('、')}`;
        path = `${e.instancePath}/${bad.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        onKey = true;
        break;
      }
      case 'type': {
        code = 'PLAN_SCHEMA_TYPE';
        const want = [...new Set(String(e.params.type ?? '').split(',').map((t) => TYPE_ZH[t.trim()] ?? t.trim()).filter(Boolean))];
        message = want.length ? `${keyName(e.instancePath)}应为${want.join('或')}` : `${keyName(e.instancePath)}的写法不对`;
        break;
      }
      case 'enum':
        code = 'PLAN_SCHEMA_ENUM';
        message = `${keyName(e.instancePath)}只能是：${(e.params.allowedValues as unknown[]).join('、')}`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        code = 'PLAN_SCHEMA_RANGE';
        message = `${keyName(e.instancePath)}超出允许范围（${e.keyword.includes('inimum') ? '应' + (e.keyword.startsWith('exclusive') ? '大于' : '不小于') : '应' + (e.keyword.startsWith('exclusive') ? '小于' : '不大于')} ${String(e.params.limit)}）`;
        break;
      case 'minLength':
      case 'minItems':
        code = 'PLAN_SCHEMA_EMPTY';
        message = `${keyName(e.instancePath)}不能为空`;
        break;
      case 'format':
        code = 'PLAN_SCHEMA_FORMAT';
        message = e.params.format === 'date' ? `${keyName(e.instancePath)}应写成日期，如 2025-01-10` : `${keyName(e.instancePath)}格式不正确`;
        break;
      case 'pattern':
      case 'propertyNames':
        code = 'PLAN_SCHEMA_FORMAT';
        message = e.keyword === 'propertyNames' ? `${keyName(e.instancePath)}的键应为“第一季度”…“第四季度”、“1月”…“12月”、“上半年”或“下半年”` : `${keyName(e.instancePath)}格式不正确`;
        if (e.keyword === 'propertyNames' && e.params.propertyName) {
          path = `${e.instancePath}/${String(e.params.propertyName)}`;
          onKey = true;
        }
        break;
      case 'uniqueItems':
        code = 'PLAN_SCHEMA_DUPLICATE_ITEM';
        message = `${keyName(e.instancePath)}中有重复的项`;
        break;
      default:
        message = `${keyName(e.instancePath)}不符合格式要求`;
    }
    const pos = positionAt(src, path, onKey);
    const key = `${code}|${pos.line}|${pos.col}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ code, severity: 'error', message, file: src.file, ...pos, ...(hint ? { hint } : {}) });
  }
  return issues;
}

// ---- Problems found by the schema walker (schema-explain.ts) → issues an office worker can act on. ----

/** What office staff call each JSON type. */
const KIND_ZH: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  array: '列表（每项一行，以“- ”开头）',
  object: '“键: 值”形式的内容',
  boolean: ' true 或 false',
  null: '空值',
};
const VALUE_ZH: Record<string, string> = { number: '数字', integer: '数字', boolean: '是/否值（true/false）', null: '空值' };

/** Words people use for the keys of the format (from real plans): wrong key → the key meant. */
const KEY_SYNONYMS: Record<string, string[]> = {
  文档类型: ['类型', '文档种类', '种类', '文件类型', '计划类型'],
  单位: ['单位名称', '发文单位', '机构', '医院', '卫生院'],
  年度: ['年份', '计划年度', '年', '年度份'],
  发文日期: ['日期', '落款日期', '成文日期', '时间'],
  编制部门: ['起草部门', '起草科室', '编制科室', '制定部门'],
  基本情况: ['基本概况', '概况', '单位概况', '辖区概况', '基本信息'],
  前言: ['引言', '开头', '序言', '导语', '总则'],
  工作目标: ['目标', '目标任务', '总体目标', '主要目标', '年度目标', '工作任务目标'],
  重点工作: ['主要任务', '工作任务', '重点任务', '工作重点', '工作内容', '具体工作'],
  主要措施: ['具体措施', '工作措施', '措施', '具体做法', '实施步骤', '主要做法'],
  保障措施: ['组织保障', '保障', '工作保障'],
  领导小组: ['组织领导', '组织机构', '工作领导小组'],
  责任分工: ['职责分工', '分工', '部门职责', '工作职责', '职责'],
  完成时限: ['时间安排', '进度安排', '工作安排', '实施步骤', '时间节点', '阶段安排', '完成时间'],
  检查验收: ['督导检查', '检查', '验收', '考核验收'],
  考核: ['考核指标', '绩效考核', '考核办法', '考核内容', '考核标准'],
  结束语: ['结语', '结尾', '结束部分'],
  标题: ['题目', '名称', '标题名', '小标题', '大标题'],
  内容: ['正文', '段落', '描述', '文字', '说明', '工作内容', '具体内容'],
  小节: ['子节', '下级', '子项', '下级小节', '子标题', '小标题', '章节'],
  任务: ['工作', '措施', '事项', '具体任务', '工作任务'],
  指标: ['指标目标', '目标', '考核指标', '指标名称', '名称'],
  目标: ['目标值', '指标值', '要求', '目标要求', '任务目标'],
  基线: ['基数', '上年', '上年值', '去年', '基础值'],
  责任科室: ['责任部门', '负责科室', '负责部门', '牵头科室', '牵头部门', '主责科室', '科室', '部门'],
  责任人: ['负责人', '责任领导', '联系人'],
  配合科室: ['配合部门', '协助科室', '协办科室', '协作科室', '协助部门'],
  进度安排: ['进度', '时间安排', '工作进度', '进度计划'],
  关联指标: ['相关指标', '对应指标', '指标'],
  组长: ['负责人', '主任'],
  成员: ['组员'],
  办公室: ['办公室主任', '下设办公室'],
  科室: ['部门', '责任科室'],
  职责: ['工作职责', '内容', '任务'],
  时限: ['时间', '完成时限', '完成时间', '日期'],
  分值: ['权重', '分数', '满分', '分'],
  评分办法: ['评分标准', '计分办法', '评分规则', '考核办法'],
  等级: ['等级划分', '评定等级', '档次'],
  结果运用: ['奖惩', '结果应用', '奖惩措施', '考核结果运用'],
  其他项目: ['其它项目', '管理项目', '人工评分项目'],
  得分: ['分数'],
  正文: ['主体', '各部分'],
  结尾: ['结语', '结束语', '结束段', '小节后'],
  附件: ['附表', '附录', '附件材料'],
  抄送: ['抄报', '抄送单位', '抄送机关'],
  印发机关: ['印发单位', '印发部门', '印发'],
  印发日期: ['印发时间'],
  条目: ['条款', '要点', '列表', '编号条目'],
  表格: ['表', '附表', '表单'],
  表头: ['列', '列名', '标题行', '表格标题'],
  行: ['数据', '内容行', '表格内容'],
  注: ['表注', '备注'],
  计算公式: ['公式', '计算方法', '计算办法'],
  类别: ['分类', '类型', '考核类别'],
  分类: ['考核类别', '类别', '考核分类'],
};

/** Keys that name what the plan already says elsewhere: an explanation instead of a look-alike key. */
const KEY_ELSEWHERE: Record<string, { where: string; hint: string }> = {
  落款: { where: '落款（署名和日期）由「单位」和「发文日期」生成，不用单独写', hint: '删去这一行：署名写在「单位」，日期写在「发文日期」（如 2025-01-10）。' },
  署名: { where: '署名就是「单位」，落款时自动写出', hint: '删去这一行，发文单位写在「单位」。' },
};

/** The allowed key an unknown key most likely meant: a known synonym first, then the closest spelling. */
export function suggestAllowedKey(bad: string, allowed: string[], present: string[] = []): string | undefined {
  const free = allowed.filter((k) => !present.includes(k));
  for (const pool of [free, allowed]) {
    const syn = pool.find((k) => KEY_SYNONYMS[k]?.includes(bad));
    if (syn) return syn;
  }
  const contain = free.find((k) => k.length >= 2 && bad.length >= 2 && (bad.includes(k) || k.includes(bad)));
  return suggestKey(bad, free) ?? contain;
}

/** Closest allowed value of an enum (年度计划 → 年度工作计划). */
function suggestValue(bad: string, allowed: string[]): string | undefined {
  const contain = allowed.find((a) => a.includes(bad) || bad.includes(a));
  if (contain) return contain;
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(bad, a);
    if (d < bestD) [best, bestD] = [a, d];
  }
  return bestD <= Math.max(1, Math.ceil(bad.length / 2)) ? best : undefined;
}

const show = (s: string) => (s.length > 30 ? s.slice(0, 30) + '…' : s);

/** Name of the value at a path for messages: 「指标」第2项, or the schema title. */
function nameAt(path: Path): string {
  return keyName(path.length ? '/' + path.map(String).join('/') : '');
}

/** Translate the walker's problems of one plan into issues (PLAN_SCHEMA_* and PLAN_YAML_RETYPED), in file order. */
export function explainedIssues(problems: SchemaProblem[], src: YamlSource): Issue[] {
  const { isScalar } = yamlLib();
  const value = src.value;
  const valueAt = (path: Path): unknown => path.reduce<unknown>((v, p) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined), value);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const push = (code: string, message: string, path: Path, onKey: boolean, hint?: string) => {
    const pos = positionAt(src, path, onKey);
    const k = `${code}|${pos.line}|${pos.col}|${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    issues.push({ code, severity: 'error', message, file: src.file, ...pos, ...(hint ? { hint } : {}) });
  };
  // An unknown key that is a misspelling of a missing required key: one issue ("是否要写") instead of two.
  const fixedRequired = new Set<string>();
  const unknownSuggestion = new Map<SchemaProblem, string | undefined>();
  for (const p of problems) {
    if (p.keyword !== 'additionalProperties') continue;
    const obj = valueAt(p.path) as Record<string, unknown>;
    const allowed = Object.keys((p.schema.properties ?? {}) as object);
    const present = Object.keys(obj ?? {});
    const missing = problems.filter((q) => q.keyword === 'required' && sameParent(q.path, p.path)).map((q) => q.key!);
    const unknownHere = problems.filter((q) => q.keyword === 'additionalProperties' && sameParent(q.path, p.path));
    let sug = KEY_ELSEWHERE[p.key!] ? undefined : suggestAllowedKey(p.key!, allowed, present);
    // The one unknown key where one required key is missing is that key misspelt — if they share a character at least.
    if (!sug && !KEY_ELSEWHERE[p.key!] && missing.length === 1 && unknownHere.length === 1 && [...p.key!].some((c) => missing[0]!.includes(c))) sug = missing[0];
    unknownSuggestion.set(p, sug);
    if (sug && missing.includes(sug)) fixedRequired.add(`${p.path.join('/')}|${sug}`);
  }
  for (const p of problems) {
    const v = valueAt(p.path);
    const name = nameAt(p.path);
    switch (p.keyword) {
      case 'required': {
        if (fixedRequired.has(`${p.path.join('/')}|${p.key}`)) break;
        const title = ((p.schema.properties as Record<string, { description?: string }> | undefined)?.[p.key!])?.description;
        push('PLAN_SCHEMA_REQUIRED', `${name}缺少必填项「${p.key}」`, p.path, true, title ? `「${p.key}」：${title}` : undefined);
        break;
      }
      case 'additionalProperties': {
        if (p.key === '标题' && p.schema.title === '部分') {
          // 重点工作: {标题: …} — one section written without the "- " of a list.
          push('PLAN_SCHEMA_TYPE', `${name}的各节要写成列表：每一节以“- 标题: ……”开头`, [...p.path, p.key], true, `如：${String(p.path[0] ?? '重点工作')}:\n  - 标题: ${show(String(valueAt([...p.path, '标题']) ?? ''))}`);
          break;
        }
        if (/^-\S/.test(p.key!)) {
          push('PLAN_SCHEMA_UNKNOWN_KEY', `「${p.key}」：列表项的“-”后面要空一格`, [...p.path, p.key!], true, `写成“- ${p.key!.slice(1)}: ……”。`);
          break;
        }
        const allowed = Object.keys((p.schema.properties ?? {}) as object);
        const sug = unknownSuggestion.get(p);
        const where = p.path.length ? `${name}中` : '';
        const elsewhere = p.path.length ? undefined : KEY_ELSEWHERE[p.key!];
        if (elsewhere) {
          push('PLAN_SCHEMA_UNKNOWN_KEY', `不认识的键「${p.key}」：${elsewhere.where}`, [...p.path, p.key!], true, elsewhere.hint);
          break;
        }
        push('PLAN_SCHEMA_UNKNOWN_KEY', `${where}不认识的键「${p.key}」${sug ? `，是否要写「${sug}」？` : ''}`, [...p.path, p.key!], true, allowed.length ? `这里可以写：${allowed.join('、')}` : undefined);
        break;
      }
      case 'propertyNames': {
        const desc = String(p.schema.description ?? '');
        push('PLAN_SCHEMA_FORMAT', `${name}中的「${p.key}」不是可用的写法`, [...p.path, p.key!], true, desc || undefined);
        break;
      }
      case 'type': {
        const { node, key } = nodeAt(src, p.path);
        const want = [...new Set((p.types ?? []).map((t) => (t === 'integer' && p.types!.includes('number') ? 'number' : t)))];
        const wantZh = [...new Set(want.map((t) => KIND_ZH[t] ?? t))].join('或');
        const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
        // Nothing after the colon.
        if (v === null || v === undefined) {
          const written = node && isScalar(node) && node.source ? `（写的是“${node.source}”，YAML 读成空值）` : '';
          push('PLAN_SCHEMA_EMPTY', `${name}没有填写内容${written}`, p.path, !!key, `在冒号后写上${wantZh}，或删去这一行。`);
          break;
        }
        // A plain scalar YAML read as a number / yes-no where text is wanted: 001 → 1, 1.10 → 1.1, true.
        if (want.includes('string') && node && isScalar(node) && node.type === 'PLAIN' && typeof v !== 'string') {
          const src0 = String(node.source ?? v);
          const readAs = String(v) === src0 ? `${VALUE_ZH[got] ?? got}` : `${VALUE_ZH[got] ?? got} ${String(v)}`;
          // The hint must lead to a valid file: quoting 20250112 where a date is wanted would only fail the date format.
          if (p.schema.format === 'date') {
            const date = asIsoDate(src0);
            push('PLAN_YAML_RETYPED', `${name}应写成日期，但 YAML 把“${src0}”读成了${readAs}`, p.path, false, date ? `写成 ${date}` : '写成日期，如 2025-01-10');
          } else if (Array.isArray(p.schema.enum)) {
            push('PLAN_YAML_RETYPED', `${name}应为${wantZh}，但 YAML 把“${src0}”读成了${readAs}`, p.path, false, `只能是：${(p.schema.enum as unknown[]).join('、')}`);
          } else {
            push('PLAN_YAML_RETYPED', `${name}应为${wantZh}，但 YAML 把“${src0}”读成了${readAs}`, p.path, false, `要原样保留请加引号：'${src0}'`);
          }
          break;
        }
        let hint: string | undefined;
        if (typeof v === 'string' && (want.includes('number') || want.includes('integer')) && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) hint = `去掉引号，直接写 ${v.trim()}`;
        else if (typeof v === 'string' && want.includes('object') && /^[^\s:：]{1,20}[：:]\S/.test(v)) hint = `“${show(v)}”里的冒号要用英文冒号，并在冒号后加一个空格，如“组长: 院长”`;
        else if (typeof v === 'string' && want.includes('array')) hint = /[、，,]/.test(v) ? `写成列表：[${v.split(/[、，,]/).map((x) => x.trim()).filter(Boolean).join(', ')}]，或每项一行以“- ”开头` : '写成列表：每项一行，以“- ”开头；只有一项也要写“- ”';
        else if (got === 'object' && want.includes('array')) hint = '列表的每一项要以“- ”开头';
        else if (got === 'array' && want.includes('object')) hint = '这里不要用“- ”开头，直接写“键: 值”';
        else if (got === 'array' && want.includes('string')) hint = '这里只能写一段文字，不要用“- ”分成多项';
        else if (typeof v === 'string' && (want.includes('number') || want.includes('integer')) && /^\d+(\.\d+)?万$/.test(v.trim())) hint = `写成数字：${Math.round(parseFloat(v) * 10000)}`;
        else if (typeof v === 'string' && (want.includes('number') || want.includes('integer')) && /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(v.trim())) hint = `去掉逗号，写成 ${v.trim().replace(/,/g, '')}`;
        else if (typeof v === 'string' && (want.includes('number') || want.includes('integer')) && /^\d+(\.\d+)?\s*[年人个名张床分次户所间]$/.test(v.trim())) hint = `只写数字，不写单位：${v.trim().replace(/\s*\D$/, '')}`;
        if (typeof v === 'string' && want.includes('boolean') && /^(是|否|对|错|yes|no|on|off|y|n)$/i.test(v.trim())) hint = `写 ${/^(是|对|yes|on|y)$/i.test(v.trim()) ? 'true' : 'false'}（不加引号）`;
        if (!hint && want.includes('object') && p.schema.properties) hint = `这里要分行写“键: 值”，可以写：${Object.keys(p.schema.properties as object).join('、')}`;
        if (got === 'object' && p.path.length === 2 && p.path[0] === '工作目标' && v && typeof v === 'object' && '指标' in (v as object)) {
          hint = '指标目标要写在「工作目标」下的「指标:」里，如：工作目标: {指标: [{指标: 建证率, 目标: 不低于95%}]}';
        }
        push('PLAN_SCHEMA_TYPE', `${name}应为${wantZh}`, p.path, false, hint);
        break;
      }
      case 'enum': {
        const allowed = (p.allowed ?? []).map(String);
        const sug = typeof v === 'string' ? suggestValue(v, allowed) : undefined;
        const summary = typeof v === 'string' && /总结/.test(v) ? '工作总结不需要单独写计划文件：用 gongwei plan render --summary 根据计划和数据生成。' : undefined;
        push('PLAN_SCHEMA_ENUM', `${name}只能是：${allowed.join('、')}${sug ? `，是否要写「${sug}」？` : ''}`, p.path, false, summary);
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const rel = { minimum: '不小于', maximum: '不大于', exclusiveMinimum: '大于', exclusiveMaximum: '小于' }[p.keyword];
        push('PLAN_SCHEMA_RANGE', `${name}是 ${String(v)}，超出允许范围（应${rel} ${p.limit}）`, p.path, false);
        break;
      }
      case 'minLength':
      case 'minItems':
        push('PLAN_SCHEMA_EMPTY', `${name}不能为空`, p.path, !!nodeAt(src, p.path).key, p.keyword === 'minItems' ? '至少写一项，或删去这一行。' : '写上内容，或删去这一行。');
        break;
      case 'format': {
        const date = asIsoDate(String(v));
        const hint = date ? `写成 ${date}。` : /^\d{4}-\d{1,2}-\d{1,2}$/.test(String(v)) ? '月和日要写两位数，并且是真实存在的日期，如 2025-03-05。' : undefined;
        push('PLAN_SCHEMA_FORMAT', `${name}应写成日期，如 2025-01-10${typeof v === 'string' ? `（现在是“${show(v)}”）` : ''}`, p.path, false, hint);
        break;
      }
      case 'pattern':
        push('PLAN_SCHEMA_FORMAT', `${name}格式不正确`, p.path, false, typeof p.schema.description === 'string' ? p.schema.description : undefined);
        break;
      case 'uniqueItems':
        push('PLAN_SCHEMA_DUPLICATE_ITEM', `${keyName('/' + p.path.slice(0, -1).map(String).join('/'))}中「${show(String(typeof v === 'object' ? JSON.stringify(v) : v))}」重复了`, p.path, false);
        break;
    }
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** 20250112, 2025.1.12, 2025/1/12, 2025年1月12日 → 2025-01-12 when that day exists; otherwise undefined. */
export function asIsoDate(text: string): string | undefined {
  const m = /^\s*(\d{4})(?:(\d{2})(\d{2})|[-./年](\d{1,2})[-./月](\d{1,2})日?)\s*$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const sameParent = (a: Path, b: Path) => a.length === b.length && a.every((x, i) => x === b[i]);
