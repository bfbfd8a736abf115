// A target's 基线 and 说明 reach the year-end summary (plan render --summary) through the real binary: the programme's
// table gets a 基线 and a 说明 column, for a catalogue target and a 自定义 one, in Markdown, HTML and DOCX.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDb } from './fixture-db.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-sum-base-'));
const db = path.join(tmp, 'reg.sqlite');
const plan = path.join(tmp, 'plan.yaml');
const values = path.join(root, 'examples', 'values', 'qingshi-2025-填报.csv');
beforeAll(() => {
  buildFixtureDb(db);
  const text = fs.readFileSync(path.join(root, 'examples', 'qingshi-2025-village-assessment.yaml'), 'utf8').replace('# yaml-language-server: $schema=../schemas/plan.schema.json\n', '');
  const edited = text
    .replace('{指标: 高血压患者规范管理率, 目标: 不低于65%}', '{指标: 高血压患者规范管理率, 目标: 不低于65%, 基线: 60.5, 说明: 以年度随访记录为准}')
    .replace('{指标: 住院分娩率, 目标: 不低于98%, 自定义: true}', '{指标: 住院分娩率, 目标: 不低于98%, 自定义: true, 基线: 97.6, 说明: 以县妇幼保健院统计为准}');
  expect(edited).not.toBe(text);
  fs.writeFileSync(plan, edited);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const gw = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const render = (format: string) => {
  const out = path.join(tmp, `summary.${format}`);
  const r = gw('plan', 'render', plan, '--summary', '--db', db, '--period', '2025', '--values', values, '-f', format, '-o', out);
  expect(r.status, r.stderr).toBe(0);
  return out;
};

describe('year-end summary: 基线 and 说明 of the plan’s targets', () => {
  it('Markdown: 基线 and 说明 columns beside the target, — for a target without them', () => {
    const md = fs.readFileSync(render('md'), 'utf8');
    expect(md).toMatch(/\| 指标 \| 分子 \| 分母 \| 完成值 \| 目标 \| 基线 \| 说明 \|/);
    expect(md).toMatch(/\| 高血压患者规范管理率 \|[^\n]*\| 不低于65% \| 60\.5% \| 以年度随访记录为准 \|/);
    expect(md).toMatch(/\| 住院分娩率 \|[^\n]*99\.2%（人工填报） \| 不低于98% \| 97\.6% \| 以县妇幼保健院统计为准 \|/);
    // 家庭医生签约率 sits in the same table as 住院分娩率 and has neither.
    expect(md).toMatch(/\| 家庭医生签约率 \|[^\n]*\| 不低于45% \| — \| — \|/);
  });

  it('HTML and DOCX carry the same cells', () => {
    const html = fs.readFileSync(render('html'), 'utf8');
    expect(html).toMatch(/<th[^>]*>基线<\/th>\s*<th[^>]*>说明<\/th>/);
    expect(html).toMatch(/60\.5%<\/td>\s*<td[^>]*>以年度随访记录为准<\/td>/);
    const xml = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(render('docx'))))['word/document.xml']!);
    expect(xml).toMatch(/>基线<\/w:t>[\s\S]*?>说明<\/w:t>/);
    expect(xml).toMatch(/>60\.5%<\/w:t>[\s\S]*?>以年度随访记录为准<\/w:t>/);
    expect(xml).toMatch(/>97\.6%<\/w:t>[\s\S]*?>以县妇幼保健院统计为准<\/w:t>/);
  });
});
