// `plan import` as a library: read a Word/WPS/text plan, clean its lines, split a collection, build each plan's tree, find its metadata, targets and places to check.
import type { Block, LineBlock, SourceDoc } from './blocks.js';
import { catalogueLookup, type IndicatorLookup } from './catalog.js';
import { draftYaml, toDraft } from './emit.js';
import { quote } from './quote.js';
import { joinCutLines, mergePageFragments, splitRunOnHeadings } from './lines.js';
import { inferMeta } from './meta.js';
import { readSource } from './read.js';
import { labelTest, partLabels, splitInlineLabels, splitParts } from './split.js';
import { buildTree } from './structure.js';
import { findTargets, sentencesOf, type TargetStats } from './targets.js';
import { findScoring } from './scoring.js';
import { textChecks } from './text-checks.js';
import type { Check, FoundTarget, ImportedPlan, Meta, Node, SourceUnit } from './tree.js';

export type { ImportedPlan } from './tree.js';

export interface ImportOptions {
  /** Split a collection (……篇一、篇二 …) into one plan each. */
  split?: boolean;
  /** Indicator lookup (the built-in catalogue by default). */
  lookup?: IndicatorLookup;
}

export interface ImportResult {
  file: string;
  format: SourceDoc['format'];
  encoding?: string;
  unit: SourceUnit;
  plans: Array<ImportedPlan & { stats: TargetStats }>;
  /** About the file as a whole: conversion, page numbers removed, a collection imported without --split … */
  notes: Check[];
}

/** Import a plan document from a file (Word, WPS, text, Markdown; .doc/.wps/.odt through LibreOffice). */
export function importPlanFile(file: string, opts: ImportOptions = {}): ImportResult {
  return importPlanDoc(readSource(file), opts);
}

const ORDINAL_TAIL = /\s*(?:篇\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]|\d{1,2})$/;

/** Import an already-read document. */
export function importPlanDoc(doc: SourceDoc, opts: ImportOptions = {}): ImportResult {
  const lookup = opts.lookup ?? catalogueLookup();
  const notes: Check[] = [...doc.notes];
  let blocks: Block[] = mergePageFragments(doc.blocks, notes, doc.unit);
  blocks = splitInlineLabels(blocks, notes);
  const isLabel = labelTest(blocks);
  blocks = splitRunOnHeadings(blocks, notes, doc.unit, isLabel);
  blocks = joinCutLines(blocks, notes, doc.unit, isLabel);

  const plans: ImportResult['plans'] = [];
  const labels = partLabels(blocks);
  if (opts.split && labels.size >= 2) {
    const { before, parts } = splitParts(blocks);
    parts.forEach((p, i) => plans.push(onePlan(doc, p.blocks, lookup, i === 0 ? before : [], p.label && { index: i + 1, label: p.label })));
    // A note about a place in the file belongs to the plan that holds that place.
    for (const n of notes.filter((x) => x.at !== undefined)) {
      const owner = [...plans].reverse().find((p) => (p.part?.at ?? 0) <= n.at!) ?? plans[0]!;
      owner.checks.push(n);
      owner.checks.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
    }
    for (let i = notes.length - 1; i >= 0; i--) if (notes[i]!.at !== undefined) notes.splice(i, 1);
  } else {
    if (labels.size >= 2) {
      notes.push({ code: 'IMPORT_COLLECTION', severity: 'warning', message: `这个文件看起来是 ${labels.size} 篇计划的合集（“${[...labels][0]!.text}”等），加 --split 可分成 ${labels.size} 个草稿` });
    } else if (opts.split) {
      notes.push({ code: 'IMPORT_NOT_A_COLLECTION', severity: 'info', message: '没有找到“篇一、篇二”这样的篇名，按一篇计划导入' });
    }
    plans.push(onePlan(doc, blocks, lookup, [], undefined));
  }
  return { file: doc.file, format: doc.format, encoding: doc.encoding, unit: doc.unit, plans, notes };
}

function onePlan(doc: SourceDoc, blocks: Block[], lookup: IndicatorLookup, before: Block[], part: { index: number; label: LineBlock } | undefined): ImportedPlan & { stats: TargetStats } {
  const tree = buildTree(blocks);
  const checks = tree.checks;
  const meta = tree.meta;
  const lead: Node[] = before.flatMap((b): Node[] => (b.kind === 'line' ? [{ kind: 'paragraph', text: b.text, at: b.at }] : b.kind === 'table' ? [{ kind: 'table', rows: b.rows, at: b.at }] : []));
  if (lead.length) {
    checks.push({ code: 'IMPORT_COLLECTION_LEAD', severity: 'warning', message: `合集开头的 ${lead.length} 段文字（“${lead[0]!.kind === 'paragraph' ? quote(lead[0]!.text, 12) : '表格'}”等）不属于任何一篇，放在第一篇的开头，请核对后删去或移走`, at: lead[0]!.at, ref: lead[0] });
  }
  if (!meta.标题 && part) {
    meta.标题 = { value: part.label.text.replace(ORDINAL_TAIL, ''), at: part.label.at, guessed: true };
    checks.push({ code: 'IMPORT_META_GUESS', severity: 'info', message: `标题取自合集中的篇名“${part.label.text}”（去掉了序号），请核对`, ref: '标题' });
  } else if (!meta.标题) {
    checks.push({ code: 'IMPORT_META_MISSING', severity: 'warning', message: '原文第一行不像标题，没有找到标题，请填写', ref: '标题' });
  }
  inferMeta(meta, tree.body, checks);

  // Every piece of text, with what it belongs to: for targets and for the checks on the text itself.
  const pieces: Array<{ text: string; at: number; node: Node | Meta; ref: Check['ref'] }> = [];
  const walk = (n: Node) => {
    switch (n.kind) {
      case 'paragraph':
        pieces.push({ text: n.text, at: n.at, node: n, ref: n });
        break;
      case 'list':
        for (const it of n.items) pieces.push({ text: it.text, at: it.at, node: n, ref: it });
        break;
      case 'table':
        for (const row of n.rows) for (const c of row) if (c) pieces.push({ text: c, at: n.at, node: n, ref: n });
        break;
      case 'section':
        pieces.push({ text: n.heading, at: n.at, node: n, ref: n });
        n.children.forEach(walk);
        break;
    }
  };
  lead.forEach(walk);
  tree.body.forEach(walk);
  tree.closing.forEach(walk);
  for (const a of tree.attachments) a.children.forEach(walk);
  for (const p of pieces) checks.push(...textChecks(p.text, p.at, p.ref));
  const sentences = pieces.flatMap((p) => sentencesOf(p.text).map((text) => ({ text, at: p.at, node: p.node })));
  const { targets, stats } = findTargets(sentences, lookup, checks);
  // One indicator, two different targets (two populations, or a later change): the author decides.
  const firstTarget = new Map<string, FoundTarget>();
  for (const t of targets) {
    const key = t.indicator?.id ?? t.name;
    const prev = firstTarget.get(key);
    if (!prev) firstTarget.set(key, t);
    else if (prev.target !== t.target) checks.push({ code: 'IMPORT_TARGET_TWICE', severity: 'warning', message: `“${t.name}”有两个不同的目标（“${prev.target}”和“${t.target}”），可能是不同的人群或前后改过，请改名或只留一个`, at: t.at, ref: t });
  }
  checks.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const scoring = findScoring([...tree.body, ...tree.attachments.flatMap((a) => a.children)], lookup);
  return {
    file: doc.file,
    unit: doc.unit,
    ...(part ? { part: { index: part.index, label: part.label.text, at: part.label.at } } : {}),
    ...(lead.length ? { collectionLead: lead } : {}),
    meta,
    body: tree.body,
    closing: tree.closing,
    attachments: tree.attachments,
    targets,
    ...(scoring ? { scoring } : {}),
    checks,
    stats,
  };
}

/** One imported plan as YAML text in the current plan format, with the file's own notes in its header. */
export function planDraftYaml(result: ImportResult, plan: ImportedPlan, opts: { schemaRef?: string; source?: string } = {}): string {
  const draft = toDraft(plan);
  const from = opts.source ?? result.file;
  const intro = [
    `由 gongwei plan import 从“${from}”导入的草稿${plan.part ? `（合集第 ${plan.part.index} 篇：“${plan.part.label}”）` : ''}。`,
    '标有“请核对”的地方是导入时的推测、没填的占位符或计划格式放不下的内容；改好后运行 gongwei plan validate 检查。',
  ];
  draft.header.unshift(...result.notes.filter((n) => n.severity === 'warning').map((n) => n.message));
  return draftYaml(draft, { schemaRef: opts.schemaRef, intro });
}
