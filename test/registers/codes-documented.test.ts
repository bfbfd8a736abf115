// Every REG_ code the import and the registers commands can print is listed in docs/registers.md.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(n) ? [p] : [];
  });
}

describe('docs/registers.md', () => {
  it('lists every REG_ code of src/ and of the register catalogue, and none that no longer exists', () => {
    const sources = [...files('src', /\.ts$/), ...files('catalog/registers', /\.yaml$/)];
    const used = new Set<string>();
    for (const f of sources) for (const m of readFileSync(f, 'utf8').matchAll(/\bREG_[A-Z0-9_]*[A-Z0-9]\b/g)) used.add(m[0]);
    expect(used.size).toBeGreaterThan(40);
    const doc = readFileSync('docs/registers.md', 'utf8');
    const listed = new Set([...doc.slice(doc.indexOf('## 代码一览')).matchAll(/`(REG_[A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect([...used].filter((c) => !listed.has(c)).sort()).toEqual([]);
    expect([...listed].filter((c) => !used.has(c)).sort()).toEqual([]);
  });
});
