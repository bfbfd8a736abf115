// The floors of docs/architecture.md, read from the code's own imports: every import between top-level parts of
// src/ points down, and no two parts import each other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');

/** Floor of each top-level part (docs/architecture.md); ground files are the plain files of src/. */
const FLOORS: Record<string, number> = { catalog: 2, plan: 3, registers: 3, indicators: 4, 'plan-import': 4, summary: 5, assessment: 5, render: 6, cli: 7, 'index.ts': 8 };
const partOf = (file: string) => path.relative(src, file).split(path.sep)[0]!;
const floorOf = (file: string) => FLOORS[partOf(file)] ?? 1;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? files(f) : n.endsWith('.ts') ? [f] : [];
  });
}

/** Relative modules a file imports (static and dynamic, types included), as source paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
}

describe('the floors of docs/architecture.md', () => {
  const all = files(src);
  const edges = all.flatMap((f) => imports(f).map((to) => ({ from: f, to })));

  it('reads the imports (the check is not vacuous)', () => {
    expect(all.length).toBeGreaterThan(80);
    expect(edges.length).toBeGreaterThan(200);
    for (const { to } of edges) expect(all, to).toContain(to);
  });

  it('no import runs back up or sideways between parts', () => {
    const bad = edges
      .filter(({ from, to }) => partOf(from) !== partOf(to) && floorOf(to) >= floorOf(from) && !(floorOf(from) === 1 && floorOf(to) === 1))
      .map(({ from, to }) => `${path.relative(src, from)} → ${path.relative(src, to)}`);
    expect(bad).toEqual([]);
  });

  it('the ground files import no part', () => {
    const ground = edges.filter(({ from }) => floorOf(from) === 1 && partOf(from) !== 'index.ts');
    expect(ground.filter(({ to }) => floorOf(to) !== 1).map(({ from, to }) => `${path.relative(src, from)} → ${path.relative(src, to)}`)).toEqual([]);
  });

  it('no file imports itself round about (no circle among files, inside a part or across parts)', () => {
    const next = new Map<string, string[]>();
    for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
    const done = new Set<string>();
    const circles: string[] = [];
    const visit = (f: string, stack: string[]): void => {
      const at = stack.indexOf(f);
      if (at >= 0) return void circles.push([...stack.slice(at), f].map((x) => path.relative(src, x)).join(' → '));
      if (done.has(f)) return;
      for (const t of next.get(f) ?? []) visit(t, [...stack, f]);
      done.add(f);
    };
    for (const f of all) visit(f, []);
    expect(circles).toEqual([]);
  });
});
