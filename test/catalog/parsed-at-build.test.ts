// The build parses the built-in catalogue files once (dist/catalog/parsed.json); the built modules take a value from
// it only for a text identical to a built-in file's. Runs the built modules (npm run build first).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { tmp } from '../registers/helpers.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { loadRegisterCatalog } from '../../src/catalog/registers.js';
import { loadSchedule } from '../../src/catalog/schedule.js';

const built = (m: string) => import(path.resolve('dist', m));
const parsed = JSON.parse(readFileSync('dist/catalog/parsed.json', 'utf8')) as [string, string, string][];

describe('built-in catalogue parsed at build time', () => {
  it('holds every built-in file, each value as js-yaml gives it for the same text', () => {
    const files = ['domains.yaml', 'immunization-rules.yaml', ...['indicators', 'registers', 'schedules'].flatMap((d) => loadDir(d))];
    expect(parsed.length).toBe(files.length);
    for (const f of files) {
      const text = readFileSync(path.join('catalog', f), 'utf8');
      const hit = parsed.find(([, t]) => t === text);
      expect(hit, f).toBeDefined();
      expect(JSON.parse(hit![2])).toEqual(jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }));
    }
  });

  it('the built catalogues equal the ones parsed from the sources', async () => {
    const { loadIndicatorCatalog: builtIndicators } = await built('catalog/indicators.js');
    const { loadRegisterCatalog: builtRegisters } = await built('catalog/registers.js');
    const { loadSchedule: builtSchedule } = await built('catalog/schedule.js');
    expect(builtIndicators().all).toEqual(loadIndicatorCatalog().all);
    expect(builtRegisters()).toEqual(loadRegisterCatalog());
    for (const v of ['2021', '2025']) expect(builtSchedule(v)).toEqual(loadSchedule(v));
  });

  it('a changed copy of a built-in file is parsed and checked, not taken from the build', async () => {
    const { readCatalogFile } = await built('catalog/check.js');
    const text = readFileSync('catalog/indicators/newborn-visit-rate.yaml', 'utf8');
    const dir = tmp('gw-parsed-');
    const same = path.join(dir, 'same.yaml');
    writeFileSync(same, text);
    expect(readCatalogFile('indicator', same).value.name).toBe('新生儿访视率');
    const renamed = path.join(dir, 'renamed.yaml');
    writeFileSync(renamed, text.replace('name: 新生儿访视率', 'name: 新生儿访视率（本院）'));
    expect(readCatalogFile('indicator', renamed).value.name).toBe('新生儿访视率（本院）');
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, text.replace('kind: rate', 'kind: ratio'));
    const r = readCatalogFile('indicator', broken);
    expect(r.value).toBeUndefined();
    expect(r.issues[0].line).toBeGreaterThan(1);
    // The same text as another kind of file is not taken either.
    expect(readCatalogFile('register', same).value).toBeUndefined();
  });
});

function loadDir(d: string): string[] {
  return readdirSync(path.join('catalog', d)).filter((f) => f.endsWith('.yaml')).map((f) => path.join(d, f));
}
