// docs/plan-format.md keeps step with the code: every PLAN_* / YAML_* code the plan side can report is documented there
// (plan import's PLAN_IMPORT_* codes are docs/plan-import.md's).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const sources = [
  ...readdirSync(path.join(root, 'src/plan')).map((f) => path.join(root, 'src/plan', f)),
  ...readdirSync(path.join(root, 'src/cli/commands')).map((f) => path.join(root, 'src/cli/commands', f)),
  path.join(root, 'src/yaml-source.ts'),
].filter((f) => f.endsWith('.ts'));

describe('docs/plan-format.md', () => {
  it('names every code a plan can be reported with', () => {
    const codes = new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'((?:PLAN|YAML)_[A-Z0-9_]+)'/g)].map((m) => m[1]!)).filter((c) => !c.startsWith('PLAN_IMPORT_')));
    expect(codes.size).toBeGreaterThan(30);
    const doc = readFileSync(path.join(root, 'docs/plan-format.md'), 'utf8');
    expect([...codes].filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});
