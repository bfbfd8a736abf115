// The 考核方案 document says whom it assesses (考核对象) and, for an item without its own 目标, the plan's target that
// the score is measured against — never a blank "—" beside an item that is scored against 65%.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { loadPlanFile } from '../../src/plan/load.js';
import { planMarkdown } from '../../src/render/render.js';
import { readFileSync } from 'node:fs';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const scheme = (考核对象: unknown, extra: Partial<Plan> = {}): Plan =>
  ({
    文档类型: '考核方案',
    标题: '青石镇卫生院2025年绩效考核方案',
    单位: '青石镇卫生院',
    年度: 2025,
    工作目标: { 指标: [{ 指标: '高血压患者规范管理率', 目标: '不低于65%' }] },
    考核: { ...(考核对象 === undefined ? {} : { 考核对象 }), 指标: [{ 指标: '高血压患者规范管理率', 分值: 60 }], 其他项目: [{ 名称: '行政管理', 分值: 40 }] },
    ...extra,
  }) as Plan;

describe('考核对象 in the 考核方案 document', () => {
  it('各村卫生室 with the villages of 基本情况, as a chapter before the scoring table', async () => {
    const md = await planMarkdown(scheme('各村卫生室', { 基本情况: { 行政村: ['青石村', '东溪村'] } } as Partial<Plan>));
    expect(md).toMatch(/## 考核对象\n\n考核对象为各村卫生室（青石村、东溪村）。\n\n## 考核指标及分值/);
  });

  it('a list of departments or people, and 本单位 as the unit', async () => {
    expect(await planMarkdown(scheme(['公卫办', '妇幼科', '张医生']))).toContain('考核对象为公卫办、妇幼科、张医生。');
    expect(await planMarkdown(scheme('本单位'))).toContain('考核对象为青石镇卫生院。');
  });

  it('not written: no sentence; a chapter of the author’s own titled 考核对象 is not repeated', async () => {
    expect(await planMarkdown(scheme(undefined))).not.toContain('考核对象');
    const own = await planMarkdown(scheme('各村卫生室', { 正文: [{ 标题: '考核对象', 内容: '各村卫生室及院内公卫科室。' }] } as Partial<Plan>));
    expect(own.match(/考核对象/g)).toHaveLength(1);
  });

  it('an item without its own 目标 shows the plan’s target it is scored against', async () => {
    expect(await planMarkdown(scheme(undefined))).toMatch(/\| 1 \| 高血压患者规范管理率 \| 不低于65% \| 60 \|/);
  });

  it('the real binary on the village scheme example: the HTML says it too', () => {
    const file = path.join(root, 'examples', 'qingshi-2025-village-assessment.yaml');
    expect(loadPlanFile(file).plan?.考核?.考核对象).toBe('各村卫生室');
    const html = gongwei(['plan', 'render', file, '-f', 'html', '-o', '-']);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain('考核对象为各村卫生室（青石村、东溪村、南岭村、西坪村、北塘村）。');
  });

  it('plan init writes 考核对象 (with the other choices in a comment) and hints at 版记 and 附件; its document says whom it assesses', () => {
    const dir = tempDir('gw-init-subject-');
    const file = path.join(dir, 'k.yaml');
    expect(gongwei(['plan', 'init', '-k', '考核方案', '--unit', '青石镇卫生院', '--year', '2025', file]).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^  考核对象: 本单位 +# 或 各村卫生室（逐村计分、排名），或 \[公卫办, 妇幼科\]（逐一计分）$/m);
    expect(text).toMatch(/^# 需要版记时写：抄送/m);
    expect(gongwei(['plan', 'validate', file]).code).toBe(0);
    const md = gongwei(['plan', 'render', file, '-f', 'md', '-o', '-']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('考核对象为青石镇卫生院。');
  });
});
