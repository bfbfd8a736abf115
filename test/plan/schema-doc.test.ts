// The editor experience: every key the author can type has a Chinese title and description (hover help in VS Code),
// and the modeline `plan init` writes points at a schema that resolves from the new file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSchema } from '../../src/plan/load.js';
import { gongwei, tempDir } from './helpers.js';

const CJK = /[\u4e00-\u9fff]/;

/** Every schema node an author's key leads to: named properties and the values of free-form keys (等级, 进度安排 …). */
function keyNodes(node: unknown, where: string, out: [string, Record<string, unknown>][] = []) {
  if (!node || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) out.push([`${where}/${k}`, v]);
  if (n.additionalProperties && typeof n.additionalProperties === 'object') out.push([`${where}/*`, n.additionalProperties as Record<string, unknown>]);
  for (const [k, v] of Object.entries(n)) if (v && typeof v === 'object') keyNodes(v, `${where}/${k}`, out);
  return out;
}

describe('plan schema documents every key in Chinese', () => {
  const nodes = keyNodes(planSchema(), '#');
  it('walks all keys (sanity: the format has many)', () => expect(nodes.length).toBeGreaterThan(60));
  it('each key and each free-form value has a Chinese title and description', () => {
    const missing = nodes.filter(([, v]) => !(typeof v.title === 'string' && CJK.test(v.title) && typeof v.description === 'string' && CJK.test(v.description))).map(([w]) => w);
    expect(missing).toEqual([]);
  });
  it('each definition has a Chinese title and description', () => {
    const defs = (planSchema().$defs ?? {}) as Record<string, Record<string, unknown>>;
    for (const [k, v] of Object.entries(defs)) {
      expect(CJK.test(String(v.title)) && CJK.test(String(v.description)), k).toBe(true);
    }
  });
});

describe('plan schema -o', () => {
  it('writes the schema and tells how to point a plan at it (relative to the plan file)', () => {
    const d = tempDir();
    const out = path.join(d, 'plan.schema.json');
    const r = gongwei(['plan', 'schema', '-o', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(planSchema());
    expect(r.stderr).toContain('$schema=');
    expect(r.stderr).toContain('./plan.schema.json');
  });
});

describe('plan init: the modeline resolves and the starter validates clean', () => {
  for (const kind of ['年度工作计划', '实施方案', '考核方案']) {
    it(`${kind}, in a nested directory and on stdout`, () => {
      const d = path.join(tempDir(), '计划', '2026');
      const f = path.join(d, 'p.yaml');
      expect(gongwei(['plan', 'init', f, '--kind', kind, '--unit', '东溪乡卫生院', '--year', '2026']).code).toBe(0);
      const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(readFileSync(f, 'utf8').split('\n')[0]!)![1]!;
      expect(ref).not.toContain('\\');
      expect(existsSync(path.resolve(d, ref))).toBe(true);
      const r = gongwei(['plan', 'validate', '--strict', f]);
      expect(r.stdout + r.stderr).toContain('全部通过校验');
      expect(r.code).toBe(0);
      const out = gongwei(['plan', 'init', '--kind', kind, '--unit', '东溪乡卫生院', '--year', '2026']);
      const abs = /^# yaml-language-server: \$schema=(\S+)$/.exec(out.stdout.split('\n')[0]!)![1]!;
      expect(existsSync(abs)).toBe(true);
    });
  }
});
