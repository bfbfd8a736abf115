// The plan's parts in document order with the titles a document gives them, and every task with the section it is in.
import { asList, type Part, type Plan, type Section, type Sections, type Task, type Text } from './model.js';

/** A top-level part of the plan as a document shows it: its key, the title a document gives it, its content. */
export interface TopPart {
  key: '指导思想' | '工作目标' | '重点工作' | '主要措施' | '工作要求' | '保障措施' | '检查验收' | '正文';
  title: string;
  value: Text | Sections | NonNullable<Plan['工作目标']>;
}

/**
 * The parts that hold text and sections, in document order. An 实施方案 calls 工作目标 目标任务, and its 重点工作
 * 主要措施 (unless the plan has a 主要措施 of its own). The chapters of 正文 come in the author's order with the
 * author's titles (a plan does not write both; validation says so).
 */
export function topParts(plan: Plan): TopPart[] {
  const scheme = plan.文档类型 === '实施方案';
  const out: TopPart[] = [];
  const add = (key: TopPart['key'], title: string) => {
    const value = plan[key];
    if (value !== undefined && value !== null) out.push({ key, title, value });
  };
  add('指导思想', '指导思想');
  add('工作目标', scheme ? '目标任务' : '工作目标');
  add('重点工作', scheme && plan.主要措施 === undefined ? '主要措施' : '重点工作');
  add('主要措施', '主要措施');
  add('工作要求', '工作要求');
  add('保障措施', '保障措施');
  add('检查验收', '检查验收');
  for (const chapter of asList(plan.正文)) {
    if (chapter && typeof chapter === 'object') out.push({ key: '正文', title: chapter.标题, value: chapter });
  }
  return out;
}

/** The sections of a part: a list of sections, a part with an opening text, or plain text (no sections). */
export function partSections(value: TopPart['value']): { intro?: Text; part?: Part; sections: Section[] } {
  if (typeof value === 'string') return { intro: value, sections: [] };
  if (Array.isArray(value)) {
    return value.length && typeof value[0] === 'object' ? { sections: value as Section[] } : { intro: value as string[], sections: [] };
  }
  const part = value as Part;
  return { part, sections: asList(part.小节) };
}

/** Every task of the plan, in document order, with the title of the section (or part) it is listed in. */
export function planTasks(plan: Plan): Array<{ task: Task; section: string }> {
  const out: Array<{ task: Task; section: string }> = [];
  const walk = (s: Section | Part, title: string) => {
    for (const task of asList(s.任务)) out.push({ task, section: title });
    for (const c of asList(s.小节)) walk(c, c.标题);
  };
  for (const p of topParts(plan)) {
    const { part, sections } = partSections(p.value);
    if (part) walk(part, p.title);
    else for (const s of sections) walk(s, s.标题);
  }
  return out;
}
