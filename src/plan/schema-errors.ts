// ajv errors → readable Chinese issues with positions; anyOf/oneOf noise collapsed to the best-matching branch.
import type { ErrorObject } from 'ajv';
import type { Issue } from '../issues.js';
import { editDistance } from '../indicators/catalog.js';
import { positionAt, type YamlSource } from '../yaml-source.js';

const TYPE_ZH: Record<string, string> = { string: '文字', number: '数字', integer: '整数', array: '列表', object: '键值对象', boolean: '是/否', null: '空值' };

function keyName(instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) if (!/^\d+$/.test(parts[i]!)) {
    const idx = parts.slice(i + 1).map((n) => `第${Number(n) + 1}项`).join('');
    return `「${parts[i]}」${idx}`;
  }
  return '文件顶层';
}

/** Keep, for each anyOf/oneOf failure, only the errors of the branch that came closest. */
export function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  let out = [...errors];
  const alts = out.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const alt of alts) {
    if (!out.includes(alt)) continue;
    const prefix = alt.schemaPath + '/';
    const branches = new Map<string, ErrorObject[]>();
    for (const e of out) {
      if (e !== alt && e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(alt.instancePath)) {
        const b = e.schemaPath.slice(prefix.length).split('/')[0]!;
        branches.set(b, [...(branches.get(b) ?? []), e]);
      }
    }
    if (branches.size === 0) {
      // Branches are $refs: ajv reports their errors relative to the referenced definition, so group by position.
      // A type error is noise when some branch accepted that value's type and failed deeper (a non-type error at or below it).
      const under = out.filter((e) => e !== alt && (e.instancePath === alt.instancePath || e.instancePath.startsWith(alt.instancePath + '/')));
      const deep = under.filter((e) => !['type', 'anyOf', 'oneOf'].includes(e.keyword));
      if (deep.length) {
        const noise = new Set(under.filter((e) => e.keyword === 'type' && deep.some((d) => d.instancePath === e.instancePath || d.instancePath.startsWith(e.instancePath + '/'))));
        out = out.filter((e) => e !== alt && !noise.has(e));
        continue;
      }
    }
    const inBranches = new Set([...branches.values()].flat());
    const typeMatched = [...branches.values()].filter((errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === alt.instancePath));
    let keep: ErrorObject[];
    if (typeMatched.length) {
      keep = typeMatched.sort((a, b) => a.length - b.length)[0]!;
    } else {
      const types = [...new Set([...branches.values()].flat().filter((e) => e.keyword === 'type' && e.instancePath === alt.instancePath).flatMap((e) => String(e.params.type).split(',')))];
      keep = [{ ...alt, keyword: 'type', params: { type: types.join(',') }, message: 'type' }];
    }
    out = out.filter((e) => e !== alt && !inBranches.has(e));
    out.push(...keep);
  }
  // Several type errors for one value (one per alternative) → one error listing every accepted type.
  const byPath = new Map<string, ErrorObject>();
  const merged: ErrorObject[] = [];
  for (const e of out) {
    if (e.keyword !== 'type') { merged.push(e); continue; }
    const prev = byPath.get(e.instancePath);
    if (!prev) {
      const copy = { ...e, params: { ...e.params } };
      byPath.set(e.instancePath, copy);
      merged.push(copy);
    } else {
      prev.params = { type: [...new Set(`${String(prev.params.type ?? '')},${String(e.params.type ?? '')}`.split(',').filter(Boolean))].join(',') };
    }
  }
  return merged;
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
  return best !== undefined && bestD <= Math.max(1, Math.floor(bad.length / 2)) ? best : undefined;
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
