// The package stands alone: npm pack, install the tarball into a temporary prefix, and from another directory
// validate and render a plan, import registers and compute indicators; a consumer's TypeScript compiles against the
// published .d.ts without skipLibCheck. (Uses the dist/ of the last build: npm test builds first.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Run a program without blocking the test worker (npm install takes a minute; vitest's worker must keep talking). */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

describe('the packed package', () => {
  it('installs from the tarball and works from another directory; its types compile for a consumer', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-pack-'));
    try {
      // 1. The tarball: what it ships and what it leaves out.
      const pack = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root);
      expect(pack.code, pack.stderr).toBe(0);
      const packed = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
      const files = packed[0].files.map((f) => f.path);
      for (const f of ['LICENSE', 'README.md', 'docs/plan-format.md', 'docs/immunization.md', 'docs/indicators.md', '.prebuild-installrc', 'dist/index.d.ts', 'bin/gongwei.js', 'schemas/plan.schema.json'])
        expect(files, f).toContain(f);
      expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
      // Every docs/… a shipped file cites is shipped too; nothing cites a place outside the package.
      const shipped = new Set(files);
      for (const f of files.filter((x) => /\.(js|md|ya?ml|json|hbs)$/.test(x))) {
        const text = fs.readFileSync(path.join(root, f), 'utf8');
        expect(text, f).not.toMatch(/\.\.\/shared|\/work\/shared/);
        for (const m of text.matchAll(/\bdocs\/[\w-]+\.md\b/g)) expect(shipped.has(m[0]), `${f} cites ${m[0]}`).toBe(true);
      }
      const tarball = path.join(tmp, packed[0].filename);

      // 2. Install into a temporary prefix from the local cache. better-sqlite3's compile (1.5 min) is done once by the
      // project's own install: its binary is reused, after checking the package makes prebuild-install build from source.
      const prefix = path.join(tmp, 'prefix');
      const inst = await run(npm, ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], tmp);
      expect(inst.code, inst.stderr).toBe(0);
      expect(inst.stderr).not.toMatch(/EBADENGINE/);
      const pkgDir = path.join(prefix, 'lib', 'node_modules', 'gongwei');
      const sqliteDir = path.join(pkgDir, 'node_modules', 'better-sqlite3');
      const rc = await run(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(path.join(pkgDir, 'node_modules', 'prebuild-install', 'rc.js'))})({ name: 'better-sqlite3' }).buildFromSource))`], sqliteDir, { npm_config_build_from_source: '' });
      expect(['true', '"true"'], rc.stderr).toContain(rc.stdout.trim()); // from the package's .prebuild-installrc, not the environment
      fs.mkdirSync(path.join(sqliteDir, 'build', 'Release'), { recursive: true });
      fs.copyFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), path.join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'));
      const nanoid = JSON.parse(fs.readFileSync(path.join(pkgDir, 'node_modules', 'nanoid', 'package.json'), 'utf8')) as { version: string };
      expect(Number(nanoid.version.split('.')[0])).toBeLessThan(6); // nanoid 6 does not run on Node 20

      // 3. The installed command, from a directory that is not the project.
      const gongwei = path.join(prefix, 'bin', 'gongwei');
      const work = path.join(tmp, 'work');
      fs.mkdirSync(work);
      fs.copyFileSync(path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml'), path.join(work, 'plan.yaml'));
      fs.copyFileSync(path.join(root, 'examples', 'registers', '2型糖尿病患者管理名册.xlsx'), path.join(work, 'dm.xlsx'));
      const v = await run(gongwei, ['plan', 'validate', 'plan.yaml'], work);
      expect(v.code, v.stderr + v.stdout).toBe(0);
      const r = await run(gongwei, ['plan', 'render', 'plan.yaml', '-f', 'docx'], work);
      expect(r.code, r.stderr).toBe(0);
      expect(fs.readFileSync(path.join(work, 'plan.docx')).subarray(0, 2).toString()).toBe('PK');
      const ex = await run(gongwei, ['plan', 'render', path.join(pkgDir, 'examples', 'yunqi-2025-community-plan.yaml'), '-f', 'md', '-o', 'yunqi.md'], work);
      expect(ex.code, ex.stderr).toBe(0);
      const imp = await run(gongwei, ['registers', 'import', 'dm.xlsx', '--db', 'd.sqlite'], work);
      expect(imp.code, imp.stderr + imp.stdout).toBe(0);
      const c = await run(gongwei, ['indicators', 'compute', '--db', 'd.sqlite', '--period', '2025', '--only', '糖尿病患者规范管理率', '-f', 'json'], work);
      expect(c.code, c.stderr).toBe(0);
      expect((JSON.parse(c.stdout) as { results: { id: string }[] }).results.map((x) => x.id)).toContain('diabetes-standard-management-rate');

      // 4. A consumer's TypeScript against the published .d.ts, without skipLibCheck.
      const consumer = path.join(tmp, 'consumer');
      fs.mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
      fs.symlinkSync(pkgDir, path.join(consumer, 'node_modules', 'gongwei'));
      fs.writeFileSync(path.join(consumer, 'package.json'), '{ "type": "module" }');
      fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false } }));
      fs.writeFileSync(path.join(consumer, 'use.ts'), [
        "import { openDatabase, loadPlanFile, renderPlan, renderSummary, renderAssessment, computeIndicators, parsePeriod, type Database, type Rendered, type OutputFormat } from 'gongwei';",
        "const db: Database = openDatabase('d.sqlite', { readonly: true });",
        "const format: OutputFormat = 'md';",
        "const loaded = loadPlanFile('plan.yaml');",
        "if (loaded.plan) { const r: Rendered = await renderPlan(loaded.plan, { format }); console.log(r.output.length); }",
        "console.log(computeIndicators(db, { period: parsePeriod('2025') }).results.length, typeof renderSummary, typeof renderAssessment);",
        '',
      ].join('\n'));
      const tsc = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], consumer);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.code).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 600_000);
});
