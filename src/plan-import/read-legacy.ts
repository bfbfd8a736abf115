// Old Word (.doc), WPS (.wps), OpenDocument (.odt), RTF and web-page documents: converted to .docx by LibreOffice when it is installed, with a private profile.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GongweiError } from '../errors.js';

/** The LibreOffice program: $GONGWEI_SOFFICE, or soffice / libreoffice on the PATH. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GONGWEI_SOFFICE !== undefined) return env.GONGWEI_SOFFICE || undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of ['soffice', 'libreoffice']) {
    for (const d of dirs) {
      const f = path.join(d, name);
      try {
        accessSync(f, constants.X_OK);
        return f;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

/** What to tell a user whose file needs LibreOffice. */
export const SAVE_AS_DOCX_HINT = '请用 Word 或 WPS 打开这个文件，点“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，再导入 .docx 文件；或安装 LibreOffice（soffice）后重新运行，gongwei 会自动转换。';

/**
 * Convert a document LibreOffice can open into .docx bytes. The conversion runs in a temporary directory with its own
 * LibreOffice profile (so it works while the user has LibreOffice open, and leaves their settings alone).
 */
export function convertToDocx(file: string, kindName: string, source: Uint8Array, timeoutMs = 180_000): Uint8Array {
  const soffice = findSoffice();
  if (!soffice) {
    throw new GongweiError('PLAN_IMPORT_NEEDS_LIBREOFFICE', `${kindName}需要先转换成 .docx 才能导入，本机没有找到 LibreOffice：${file}`, { hint: SAVE_AS_DOCX_HINT });
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'gongwei-import-'));
  try {
    // LibreOffice names the output after the input: copy to a plain name so odd characters or a second dot cannot confuse it.
    const input = path.join(work, `source${path.extname(file).toLowerCase() || '.doc'}`);
    writeFileSync(input, source);
    const out = path.join(work, 'out');
    const r = spawnSync(
      soffice,
      [`-env:UserInstallation=${pathToFileURL(path.join(work, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', out, input],
      { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, HOME: process.env.HOME ?? work } },
    );
    const made = (() => {
      try {
        return readdirSync(out).find((n) => n.toLowerCase().endsWith('.docx'));
      } catch {
        return undefined;
      }
    })();
    if (r.error || !made) {
      const why = r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? '转换超时' : r.error ? r.error.message : 'LibreOffice 没有生成文件（文件可能已损坏或设置了密码）';
      throw new GongweiError('PLAN_IMPORT_CONVERT_FAILED', `用 LibreOffice 把${kindName}转换成 .docx 失败（${why}）：${file}`, { hint: SAVE_AS_DOCX_HINT, cause: r.error });
    }
    return readFileSync(path.join(out, made));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
