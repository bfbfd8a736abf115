// What an import found, counted: chapters and sections, lists, tables, targets linked to the catalogue or custom, places to check.
import { draftCheckCount, toDraft } from './emit.js';
import type { TargetStats } from './targets.js';
import type { ImportedPlan, Node } from './tree.js';

export interface PlanSummary {
  /** Top-level sections. */
  chapters: number;
  /** All sections at any depth. */
  sections: number;
  paragraphs: number;
  lists: number;
  tables: number;
  attachments: number;
  targets: { linked: number; custom: number; placeholders: number };
  /** Sentences holding a percentage (or a trend after a rate), and how many of them gave a target. */
  targetSentences: TargetStats;
  /** The places marked `# 请核对` in the draft: what the author should look at. */
  toCheck: number;
}

export function summarize(plan: ImportedPlan & { stats: TargetStats }): PlanSummary {
  const c = { sections: 0, paragraphs: 0, lists: 0, tables: 0 };
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind === 'section') {
        c.sections++;
        walk(n.children);
      } else if (n.kind === 'paragraph') c.paragraphs++;
      else if (n.kind === 'list') c.lists++;
      else c.tables++;
    }
  };
  walk(plan.body);
  c.paragraphs += plan.closing.length;
  return {
    chapters: plan.body.filter((n) => n.kind === 'section').length,
    ...c,
    attachments: plan.attachments.length,
    targets: {
      linked: plan.targets.filter((t) => t.indicator).length,
      custom: plan.targets.filter((t) => !t.indicator).length,
      placeholders: plan.targets.filter((t) => t.placeholder).length,
    },
    targetSentences: plan.stats,
    toCheck: draftCheckCount(toDraft(plan)),
  };
}
