// The fast path of plan loading (js-yaml + compiled schema, no positions) reads a clean plan exactly as the full path
// (yaml with positions) does, and the bundled examples — 自定义: true included — all take it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastLoadPlan, loadPlanText } from '../../src/plan/load.js';

const examples = fs.readdirSync('examples').filter((f) => f.endsWith('.yaml')).map((f) => path.join('examples', f));
const transcribed = fs.readdirSync('test/fixtures/transcribed').filter((f) => f.endsWith('.yaml')).map((f) => path.join('test/fixtures/transcribed', f));

describe('fast path of plan loading', () => {
  it.each(examples)('%s takes the fast path and reads as the full path does', (file) => {
    const text = fs.readFileSync(file, 'utf8');
    const fast = fastLoadPlan(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(loadPlanText(text, file).plan);
  });

  it.each(transcribed)('%s: whichever path it takes, the same plan', (file) => {
    const text = fs.readFileSync(file, 'utf8');
    const fast = fastLoadPlan(text);
    if (fast) expect(fast).toEqual(loadPlanText(text, file).plan);
  });

  it('自定义: true / false are booleans both ways; true elsewhere still sends the file to the full path', () => {
    const base = '标题: 某卫生院2025年工作计划\n文档类型: 年度工作计划\n单位: 某卫生院\n年度: 2025\n工作目标:\n  指标:\n';
    const flags = `${base}    - {指标: 住院分娩率, 目标: 不低于98%, 自定义: true}\n    - 指标: 家庭医生签约率\n      目标: 不低于45%\n      自定义: false # 目录外\n`;
    const fast = fastLoadPlan(flags);
    expect(fast).toBeDefined();
    expect(fast).toEqual(loadPlanText(flags, 'x.yaml').plan);
    expect((fast!.工作目标 as { 指标: Array<{ 自定义?: boolean }> }).指标.map((t) => t.自定义)).toEqual([true, false]);
    // A retyped value where text is wanted still needs positions (and the warning the full path gives).
    expect(fastLoadPlan(`${flags}编制部门: true\n`)).toBeUndefined();
  });
});
