// The 版记 at the foot of the last page however full that page is: the example plan with 抄送 and 0 to 18 paragraphs
// more before the signature, each rendered to DOCX by the real binary and laid out by LibreOffice. On the last page
// of every one the 印发 line ends on the text block's last line, no text runs into the 版记, and no empty page follows.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';
import { expectImprintAtFoot } from './pdf-page.js';

const hasSoffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasSoffice)('版记 at the foot of the last page (LibreOffice)', () => {
  it('with the last page nearly empty, half full, full, and spilling onto a new page', () => {
    const work = tempDir('gw-imprint-');
    const plan = readFileSync(path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml'), 'utf8').replace(/^# yaml-language-server.*\n/, '');
    expect(plan).toMatch(/^结束语: .+$/m);
    const docx = [0, 4, 5, 6, 12, 18].map((n) => {
      const extra = Array.from({ length: n }, (_v, i) => `  - 第${i + 1}段补充说明，用于把最后一页填满，检查版记与正文是否重叠，以及版记是否排在最后一页的底部。`);
      const file = path.join(work, `p${n}.yaml`);
      writeFileSync(file, `${plan.replace(/^结束语: (.+)$/m, (_m, text: string) => ['结束语:', `  - ${text}`, ...extra].join('\n'))}\n抄送: [县卫生健康局, 县财政局]\n印发机关: 青石镇卫生院办公室\n`);
      const out = file.replace(/\.yaml$/, '.docx');
      const r = gongwei(['plan', 'render', file, '-f', 'docx', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      return out;
    });
    const lo = spawnSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, ...docx], { encoding: 'utf8', timeout: 240_000 });
    expect(lo.status, lo.stderr).toBe(0);
    const pages = new Set<number>();
    for (const d of docx) {
      const pdf = d.replace(/\.docx$/, '.pdf');
      expect(existsSync(pdf), pdf).toBe(true);
      expectImprintAtFoot(pdf);
      pages.add(Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout)?.[1]));
    }
    // The sweep did cross page breaks (else it checked one layout six times).
    expect(pages.size).toBeGreaterThan(1);
  }, 300_000);
});
