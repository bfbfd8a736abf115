// `gongwei plan templates export <dir>`: copy the built-in templates (and partials) for editing.
import type { CommandMain } from '../run.js';

const main: CommandMain<{ force?: boolean }> = async (args, options) => {
  const { exportTemplates } = await import('../../render/templates.js');
  const dir = args[0] as string;
  const written = exportTemplates(dir, { force: !!options.force });
  process.stdout.write(`已导出 ${written.length} 个模板文件到 ${dir}\n`);
  process.stdout.write(`修改后这样使用：gongwei plan render <计划文件> --templates ${dir}\n`);
  return 0;
};
export default main;
