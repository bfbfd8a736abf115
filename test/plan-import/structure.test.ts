// Hand-typed numbering in every form, slogans that look like numbers, cut lines, run-in headings, collections, closing words, signature and 附件.
import { describe, expect, it } from 'vitest';
import { readMarker } from '../../src/plan-import/markers.js';
import type { Node } from '../../src/plan-import/tree.js';
import { importText } from './helpers.js';

/** The tree as lines: "§2 （一）预防接种", "• 1、…", "¶ …", "▦ 2×3". */
function outline(nodes: Node[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  return nodes.flatMap((n) => {
    switch (n.kind) {
      case 'section':
        return [`${pad}§${n.level} ${n.marker}${n.heading}`, ...outline(n.children, depth + 1)];
      case 'list':
        return n.items.map((i) => `${pad}• ${i.marker}${i.text}`);
      case 'paragraph':
        return [`${pad}¶ ${n.text}`];
      case 'table':
        return [`${pad}▦ ${n.rows.length}×${n.rows[0]?.length ?? 0}`];
    }
  });
}
const one = (text: string) => importText(text).plans[0]!;
const codes = (text: string) => importText(text).plans[0]!.checks.map((c) => c.code);

describe('numbering typed by hand', () => {
  it.each([
    ['一、指导思想', 'cn', 1, '指导思想'],
    ['十二、加强财务管理', 'cn', 12, '加强财务管理'],
    ['（一）预防接种', 'cn-paren', 1, '预防接种'],
    ['(三)、医疗质量治理', 'cn-paren', 3, '医疗质量治理'],
    ['1、高度重视', 'ar', 1, '高度重视'],
    ['2. 提高待遇', 'ar', 2, '提高待遇'],
    ['3，做好药品采购', 'ar', 3, '做好药品采购'],
    ['1.20xx年至20xx年,完成建设', 'ar', 1, '20xx年至20xx年,完成建设'],
    ['3、65岁及以上老年人每年体检一次', 'ar', 3, '65岁及以上老年人每年体检一次'],
    ['（1）环节质量', 'ar-paren', 1, '环节质量'],
    ['(2)、及时督导', 'ar-paren', 2, '及时督导'],
    ['①新婚随访每两月1次。', 'circled', 1, '新婚随访每两月1次。'],
    ['⑵认真学习', 'paren-digit', 2, '认真学习'],
    ['a、继续深入开展', 'latin', 1, '继续深入开展'],
    ['第二章 组织保障', 'chapter', 2, '组织保障'],
    ['- 1、积极申报示范基地', 'ar', 1, '积极申报示范基地'],
    ['- 配套讲稿', 'bullet', 0, '配套讲稿'],
  ])('%s → %s %d', (line, family, ordinal, rest) => {
    expect(readMarker(line)).toMatchObject({ family, ordinal, rest });
  });

  it.each([['三基三严理论考核'], ['442工作进度'], ['五统一管理'], ['一、二类疫苗全部接种'], ['5月份是肠道疾病好发季节'], ['1、2月份完成摸底'], ['2021年度将达到'], ['一是坚持政府主导'], ['X光机年检']])('“%s” is not numbered', (line) => {
    const m = readMarker(line);
    expect(m === null || m.bare).toBe(true);
    // In a document, a bare numeral counts only inside a sequence: these stay words.
    expect(outline(one(`甲乙计划\n\n${line}。\n`).body)).toEqual([`¶ ${line}。`]);
  });

  it('a bare numeral in sequence is numbering, and says so (一工作重点 / 二任务 / 三、)', () => {
    const p = one('一工作重点，做好普法工作。\n二任务与措施\n1、高度重视。\n三、加强宣传\n1、营造氛围。\n');
    expect(outline(p.body)).toEqual(['§1 一工作重点，做好普法工作', '§1 二任务与措施', '  • 1、高度重视。', '§1 三、加强宣传', '  • 1、营造氛围。']);
    expect(p.checks.filter((c) => c.code === 'IMPORT_BARE_NUMBER')).toHaveLength(2);
  });

  it('levels follow the order the families appear in, whatever it is; 一、 never sits under 1、', () => {
    const p = one([
      '引言一段。',
      '1、先列一条。',
      '2、再列一条。',
      '一、职责和任务',
      '（一）工作任务',
      '(1)公共卫生服务',
      '1、应急防控',
      '①做好流调。',
      '②开展宣传。',
      '2、预防接种',
      '开展接种工作。',
      '（二）团队职责',
      '做好沟通协调。',
      '二、绩效和考评',
      '团队绩效纳入医院考核。',
    ].join('\n'));
    expect(outline(p.body)).toEqual([
      '¶ 引言一段。',
      '• 1、先列一条。',
      '• 2、再列一条。',
      '§1 一、职责和任务',
      '  §2 （一）工作任务',
      '    §3 (1)公共卫生服务',
      '      §4 1、应急防控',
      '        • ①做好流调。',
      '        • ②开展宣传。',
      '      §4 2、预防接种',
      '        ¶ 开展接种工作。',
      '  §2 （二）团队职责',
      '    ¶ 做好沟通协调。',
      '§1 二、绩效和考评',
      '  ¶ 团队绩效纳入医院考核。',
    ]);
  });

  it('a heading with its sentence: the short first clause is the heading, the rest a paragraph; a long one stays whole and is flagged', () => {
    const p = one('一、指导思想：以人民健康为中心。\n二、工作要求\n1、高度重视。切实加强领导。\n2、健全机构，明确职责\n成立领导小组。\n三、针对上一年度安全工作中存在的问题进一步修订和完善各种规章制度全面落实安全生产责任制\n做好整改。\n');
    expect(outline(p.body)).toEqual([
      '§1 一、指导思想',
      '  ¶ 以人民健康为中心。',
      '§1 二、工作要求',
      '  §2 1、高度重视',
      '    ¶ 切实加强领导。',
      '  §2 2、健全机构，明确职责',
      '    ¶ 成立领导小组。',
      '§1 三、针对上一年度安全工作中存在的问题进一步修订和完善各种规章制度全面落实安全生产责任制',
      '  ¶ 做好整改。',
    ]);
    expect(p.checks.map((c) => c.code)).toContain('IMPORT_LONG_HEADING');
  });

  it('a paragraph after a run of one-sentence items belongs to the part, not to the last item', () => {
    const p = one('一、本年度工作目标\n1、坚决杜绝重特大安全事故的发生及医疗事故的发生。\n2、严格落实值班制度，节假日内有领导带班，认真做好记录。\n以上目标纳入年度考核。\n二、保障措施\n加强领导。\n');
    expect(outline(p.body)).toEqual([
      '§1 一、本年度工作目标',
      '  • 1、坚决杜绝重特大安全事故的发生及医疗事故的发生。',
      '  • 2、严格落实值班制度，节假日内有领导带班，认真做好记录。',
      '  ¶ 以上目标纳入年度考核。',
      '§1 二、保障措施',
      '  ¶ 加强领导。',
    ]);
  });

  it('numbering that skips or repeats is kept as written and flagged', () => {
    const p = one('一、医疗服务\n做好诊疗。\n二、公共卫生\n做好随访。\n二、公共卫生均等化服务\n做好建档。\n四、其他\n做好安全。\n');
    const gaps = p.checks.filter((c) => c.code === 'IMPORT_NUMBERING_GAP');
    expect(gaps.map((c) => c.at)).toEqual([5, 7]);
    expect(outline(p.body).filter((l) => l.startsWith('§'))).toEqual(['§1 一、医疗服务', '§1 二、公共卫生', '§1 二、公共卫生均等化服务', '§1 四、其他']);
  });

  it('more than four levels are kept in the tree (the draft writes the fifth as text, see emit tests)', () => {
    const p = one('一、甲\n（一）乙\n1、丙\n（1）丁\n①戊\n说明一段。\n②己\n说明二段。\n');
    expect(outline(p.body).at(-4)).toBe('        §5 ①戊');
  });
});

describe('messy lines', () => {
  it('lines cut mid-sentence are joined (also across one empty line), headings and titles never', () => {
    const p = one([
      '社区卫生服务中心工作计划',
      '一、加强队伍建设',
      '- 1、定期迎接卫生行政部门的监督检查。',
      '- 2、认真接受卫生行政部门对社区卫生服务人员进行的医疗',
      '卫生管理法律、行政法规、部门规章和诊疗护理规范、常规的培',
      '训和医德教育。',
      '- 3、认真研究防范和处理医疗事故的预案。',
      '三是完善居民健康档案，增添档案新的内容，使社区卫生服务覆盖居民达到百分之百，居民档案利用',
      '',
      '率达到75%以上。',
      '二、保障措施',
      '加强领导。',
    ].join('\n'));
    expect(outline(p.body)).toEqual([
      '§1 一、加强队伍建设',
      '  • - 1、定期迎接卫生行政部门的监督检查。',
      '  • - 2、认真接受卫生行政部门对社区卫生服务人员进行的医疗卫生管理法律、行政法规、部门规章和诊疗护理规范、常规的培训和医德教育。',
      '  • - 3、认真研究防范和处理医疗事故的预案。',
      '  ¶ 三是完善居民健康档案，增添档案新的内容，使社区卫生服务覆盖居民达到百分之百，居民档案利用率达到75%以上。',
      '§1 二、保障措施',
      '  ¶ 加强领导。',
    ]);
  });

  it('headings run into a long paragraph after a full stop are split off when they continue the numbering', () => {
    const long = '一、接着实施民生工程。一是全市婚前医学检查率达80%，建立长效机制；二是妇幼保健机构实力建设进一步提高。二、仔细实施基本公共卫生服务项目，促进均等化。三、建立新生儿疾病筛查网络，筛查率达70%以上。';
    const r = importText(`妇幼工作计划\n${long}\n`);
    expect(outline(r.plans[0]!.body).map((l) => l.slice(0, 13))).toEqual(['• 一、接着实施民生工程。', '• 二、仔细实施基本公共卫', '• 三、建立新生儿疾病筛查']);
    expect(r.notes.map((n) => n.code)).toContain('IMPORT_SPLIT_HEADINGS');
  });

  it('page numbers of a web copy (1、 2、 3、 at the start of long lines cut mid-word) are removed and the pages joined', () => {
    const page = (n: number, body: string) => `${n}、${body}`;
    const filler = '加强妇幼卫生信息管理工作，进一步提高妇幼卫生监测和年报工作质量，确保数据的科学性和时效性'.repeat(7);
    const text = ['工作安排汇总', page(1, `${filler}，提高孕产妇保健系统管`), page(2, `理率；加强绿色通道建设${filler}，做好集`), page(3, `居儿童保健管理。${filler}。`)].join('\n');
    const r = importText(text);
    expect(r.notes.map((n) => n.code)).toContain('IMPORT_PAGE_NUMBERS');
    const all = JSON.stringify(r.plans[0]!.body);
    expect(all).toContain('系统管理率');
    expect(all).toContain('做好集居儿童');
  });

  it('a phrase repeated by a machine, web leftovers, escaped and broken characters and placeholders are kept and flagged', () => {
    const c = codes('一、工作重点工作重点工作重点工作重点\n做好20xx年工作，接种率gt;xx%。\n下一页更多精彩“卫生院年度工作计划”\n转眼间□年又过去了。\n');
    expect(c).toEqual(expect.arrayContaining(['IMPORT_REPEATED_TEXT', 'IMPORT_PLACEHOLDER', 'IMPORT_HTML_ENTITY', 'IMPORT_WEB_TEXT', 'IMPORT_ODD_CHARACTER', 'IMPORT_TARGET_PLACEHOLDER']));
    const p = one('一、工作重点工作重点工作重点工作重点\n做好20xx年工作。\n');
    expect(p.body[0]).toMatchObject({ heading: '工作重点工作重点工作重点工作重点', children: [{ text: '做好20xx年工作。' }] });
  });
});

describe('the document around the sections', () => {
  it('title, 单位 and 年度 from the title; closing words; the signature and date; 版记; 附件', () => {
    const p = one([
      '青石镇卫生院2026年工作计划',
      '为做好全年工作，制定本计划。',
      '一、指导思想',
      '以人民健康为中心。',
      '二、重点工作',
      '做实健康档案。',
      '总之，我们将继续努力，完成全年任务。',
      '附件：1.青石镇卫生院2026年重点工作分解表',
      '抄送：县卫生健康局。',
      '青石镇卫生院',
      '2026年1月8日',
      '附件1',
      '重点工作分解表',
    ].join('\n'));
    expect(p.meta.标题).toMatchObject({ value: '青石镇卫生院2026年工作计划', guessed: false });
    expect(p.meta.单位).toMatchObject({ value: '青石镇卫生院', guessed: false });
    expect(p.meta.年度).toMatchObject({ value: 2026, guessed: false });
    expect(p.meta.文档类型).toMatchObject({ value: '年度工作计划', guessed: false });
    expect(p.closing.map((c) => c.text)).toEqual(['总之，我们将继续努力，完成全年任务。']);
    expect(p.attachments.map((a) => a.title)).toEqual(['附件：1.青石镇卫生院2026年重点工作分解表', '附件1']);
    expect(p.attachments[0]!.children.map((c) => c.kind === 'paragraph' && c.text)).toEqual(['抄送：县卫生健康局。', '青石镇卫生院', '2026年1月8日']);
    expect(p.attachments[1]!.children.map((c) => c.kind === 'paragraph' && c.text)).toEqual(['重点工作分解表']);
  });

  it('the signature and date at the end become 落款 and 成文日期; a placeholder date stays as written', () => {
    const p = one('白沙镇卫生院2026年工作计划\n一、目标\n做好工作。\n抄送：县卫生健康局\n白沙镇卫生院\n20xx年1月1日\n');
    expect(p.meta.成文日期).toMatchObject({ value: '20xx年1月1日' });
    expect(p.meta.落款).toMatchObject({ value: '白沙镇卫生院' });
    expect(p.meta.版记?.map((f) => f.value)).toEqual(['抄送：县卫生健康局']);
    const q = one('白沙镇卫生院2026年工作计划\n一、目标\n做好工作。\n白沙镇卫生院\n2026年1月8日\n抄送：县卫生健康局\n');
    expect(q.meta.版记?.map((f) => f.value)).toEqual(['抄送：县卫生健康局']);
    expect(q.meta.成文日期?.value).toBe('2026年1月8日');
  });

  it('guesses are marked: no title, a unit from the text, a year from the first sentence, the kind from the title', () => {
    const p = one('2026年白沙镇卫生院将继续做好基本公共卫生服务。\n一、目标\n做好工作。\n');
    expect(p.meta.标题).toBeUndefined();
    expect(p.meta.单位).toMatchObject({ value: '白沙镇卫生院', guessed: true });
    expect(p.meta.年度).toMatchObject({ value: 2026, guessed: true });
    expect(p.meta.文档类型).toMatchObject({ value: '年度工作计划', guessed: true });
    expect(p.checks.filter((c) => c.code === 'IMPORT_META_GUESS' || c.code === 'IMPORT_META_MISSING').map((c) => c.ref)).toEqual(expect.arrayContaining(['标题', '单位', '年度', '文档类型']));
    expect(one('乡镇卫生院绩效考核方案\n一、考核内容\n按百分制考核。\n').meta.文档类型?.value).toBe('考核方案');
    expect(one('青石镇卫生院预防接种实施方案\n一、目标\n做好接种。\n').meta.文档类型?.value).toBe('实施方案');
  });
});

describe('collections (--split)', () => {
  const collection = [
    '卫生院工作计划范文汇总',
    '白沙镇卫生院工作计划（一）',
    '一、目标',
    '做好建档。',
    '白沙镇卫生院工作计划（二）',
    '一、目标',
    '做好随访。',
    '白沙镇卫生院工作计划（三）',
    '做好接种。',
  ].join('\n');
  it('labels that repeat with ordinals from 1 open one plan each; the text before them goes to the first, flagged', () => {
    const r = importText(collection, { split: true });
    expect(r.plans.map((p) => p.part?.label)).toEqual(['白沙镇卫生院工作计划（一）', '白沙镇卫生院工作计划（二）', '白沙镇卫生院工作计划（三）']);
    expect(r.plans[0]!.collectionLead?.map((n) => n.kind === 'paragraph' && n.text)).toEqual(['卫生院工作计划范文汇总']);
    expect(r.plans[0]!.checks.map((c) => c.code)).toContain('IMPORT_COLLECTION_LEAD');
    expect(r.plans[1]!.meta.标题).toMatchObject({ value: '白沙镇卫生院工作计划', guessed: true });
  });
  it('without --split a collection is one plan, with a note saying --split would separate it', () => {
    const r = importText(collection);
    expect(r.plans).toHaveLength(1);
    expect(r.notes.map((n) => n.code)).toEqual(['IMPORT_COLLECTION']);
  });
  it('附件1, 附件2 are not a collection; a file without labels stays one plan under --split (with a note)', () => {
    const r = importText('白沙镇卫生院2026年工作计划\n一、目标\n做好建档。\n附件1\n分解表一\n附件2\n分解表二\n', { split: true });
    expect(r.plans).toHaveLength(1);
    expect(r.notes.map((n) => n.code)).toEqual(['IMPORT_NOT_A_COLLECTION']);
    expect(r.plans[0]!.attachments).toHaveLength(2);
  });
});
