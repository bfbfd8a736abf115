// The constructs the seeds need, rendered: 正文 in the author's order, 条目 numbered 1、, tables, 结尾 after the
// subsections, a target's 基线 and 说明, 附件 (附件说明 under the body, each on a new page), the 版记, and the 考核 table
// by category with subtotals, formulas and 结果运用 for every grade — in Markdown, DOCX and HTML.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { convertMarkdown, planMarkdown } from '../../src/render/render.js';

const plan: Plan = {
  文档类型: '考核方案',
  标题: '青石镇卫生院2025年绩效考核方案',
  单位: '青石镇卫生院',
  年度: 2025,
  发文日期: '2025-01-10',
  前言: '为建立科学的绩效考核体系，制定本方案。',
  正文: [
    { 标题: '基本原则', 条目: ['突出社会效益。', '分级考核。'] },
    {
      标题: '考核方式',
      内容: '采取以下方式。',
      表格: { 标题: '考核方式一览', 表头: ['方式', '抽查比例'], 行: [['查阅资料', '100%'], ['召开座谈会', '30%']], 注: '抽查比例按人数计。' },
      小节: [{ 标题: '查阅资料', 内容: '查阅报表。' }],
      结尾: '以上方式结合使用。',
    },
    {
      标题: '工作目标',
      指标: [
        { 指标: '高血压患者规范管理率', 目标: '不低于65%', 基线: 60.5, 说明: '以随访记录为准' },
        { 指标: '老年人健康管理率', 目标: '不低于70%' },
        { 指标: '居民健康档案建档率', 目标: '不低于90%' },
        { 指标: '2型糖尿病患者规范管理率', 目标: '不低于65%' },
      ],
    },
  ],
  考核: {
    分类: { 公共卫生服务: 60, 综合管理: 40 },
    指标: [
      { 指标: '高血压患者规范管理率', 目标: '不低于65%', 分值: 30, 类别: '公共卫生服务', 计算公式: '规范管理人数/管理人数×100%' },
      { 指标: '老年人健康管理率', 目标: '不低于70%', 分值: 30, 类别: '公共卫生服务', 说明: '以年度体检为准' },
    ],
    其他项目: [{ 名称: '行政管理', 分值: 40, 类别: '综合管理' }],
    结果运用: ['考核结果作为核发绩效工资的依据。', '连续两年不合格的，院长免职。'],
  },
  附件: [
    { 标题: '绩效考核评分表', 表格: { 表头: ['项目', '分值'], 行: [['综合管理', 40]] } },
    { 标题: '考核日程', 条目: ['1月自查。', '2月复核。'] },
  ],
  抄送: ['县卫生健康局', '县财政局'],
  印发机关: '青石镇卫生院办公室',
};

describe('Markdown', () => {
  it('keeps the author’s chapters and the order inside a section: 内容, table (caption, note), 小节, then 结尾', async () => {
    const md = await planMarkdown(plan);
    const order = ['## 基本原则', '1. 突出社会效益', '2. 分级考核', '## 考核方式', '采取以下方式', '::: caption', '考核方式一览', '| 方式 | 抽查比例 |', '|:---|---:|', '| 查阅资料 | 100% |', '注：抽查比例按人数计', '### 查阅资料', '查阅报表', '以上方式结合使用', '## 工作目标'];
    let at = 0;
    for (const s of order) {
      const i = md.indexOf(s, at);
      expect(i, s).toBeGreaterThanOrEqual(0);
      at = i;
    }
  });
  it('a target’s 基线 and 说明 reach the text and the table', async () => {
    const md = String(await convertMarkdown(await planMarkdown(plan), 'md'));
    expect(md).toContain('| 序号 | 指标 | 目标 | 基线 | 说明 |');
    expect(md).toContain('| 1 | 高血压患者规范管理率 | 不低于65% | 60.5% | 以随访记录为准 |');
    const few = String(await convertMarkdown(await planMarkdown({ ...plan, 正文: [{ 标题: '工作目标', 指标: [{ 指标: '高血压患者规范管理率', 目标: '不低于65%', 基线: 60.5, 说明: '以随访记录为准' }] }] }), 'md'));
    expect(few).toContain('高血压患者规范管理率不低于65%（2024年为60.5%；以随访记录为准）。');
  });
  it('考核: by category with 小计 and 合计, formulas and notes under the table, 结果运用 for every grade', async () => {
    const md = String(await convertMarkdown(await planMarkdown(plan), 'md'));
    expect(md).toContain('| 类别 | 序号 | 考核项目 | 目标 | 分值 | 评分办法 |');
    expect(md).toMatch(/\| 公共卫生服务 \| 1 \| 高血压患者规范管理率 \|[^\n]*\n\|  \| 2 \| 老年人健康管理率 \|[^\n]*\n\|  \|  \| 小计 \|  \| 60 \|  \|\n\| 综合管理 \| 3 \| 行政管理 \|[^\n]*\n\|  \|  \| 小计 \|  \| 40 \|  \|\n\|  \|  \| 合计 \|  \| 100 \|  \|/);
    expect(md).toContain('1. 高血压患者规范管理率：计算公式：规范管理人数/管理人数×100%。');
    expect(md).toContain('2. 老年人健康管理率：以年度体检为准。');
    expect(md).toMatch(/## 六、考核结果运用\n\n考核结果作为核发绩效工资的依据。\n\n连续两年不合格的，院长免职。/);
  });
  it('附件说明 before the signature, the 附件 after it with their own numbering, the 版记 last', async () => {
    const md = String(await convertMarkdown(await planMarkdown(plan), 'md'));
    const order = ['附件：1．绩效考核评分表  \n\u3000\u3000\u30002．考核日程', '<p align="right">青石镇卫生院</p>', '2025年1月10日', '---\n\n**附件1**\n\n# 绩效考核评分表', '| 综合管理 | 40 |', '**附件2**\n\n# 考核日程', '1. 1月自查。', '---\n\n抄送：县卫生健康局，县财政局。\n\n青石镇卫生院办公室\u3000\u30002025年1月10日印发'];
    let at = 0;
    for (const s of order) {
      const i = md.indexOf(s, at);
      expect(i, s).toBeGreaterThanOrEqual(0);
      at = i;
    }
    // One attachment: 附件 without a number.
    const one = String(await convertMarkdown(await planMarkdown({ ...plan, 附件: [plan.附件![0]!] }), 'md'));
    expect(one).toContain('附件：绩效考核评分表');
    expect(one).toContain('**附件**\n\n# 绩效考核评分表');
  });
  it('no 版记 unless the plan writes 抄送, 印发机关 or 印发日期', async () => {
    const md = await planMarkdown({ ...plan, 抄送: undefined, 印发机关: undefined });
    expect(md).not.toContain('::: imprint');
    expect(await planMarkdown({ ...plan, 抄送: undefined, 印发机关: undefined, 印发日期: '2025-01-12' })).toContain('印发日期：2025年1月12日印发');
  });
});

describe('DOCX', () => {
  it('条目 as 1、, 附件说明 with a hanging 附件：, each 附件 on a new page in 黑体, the 版记 between rules in 四号', async () => {
    const files = unzipSync(new Uint8Array(await convertMarkdown(await planMarkdown(plan), 'docx')));
    const xml = strFromU8(files['word/document.xml']!);
    expect(xml).toContain('>1、</w:t>');
    expect(xml).toMatch(/<w:ind w:left="1600" w:hanging="960"\/>[\s\S]*?附件：1．绩效考核评分表/);
    expect(xml).toMatch(/<w:pageBreakBefore\/>[\s\S]*?w:eastAsia="黑体"[\s\S]*?>附件1<\/w:t>/);
    // The 版记 table sits in a text box anchored to the bottom of the text block, text kept above it.
    expect(xml).toMatch(/<wp:positionV relativeFrom="margin"><wp:align>bottom<\/wp:align><\/wp:positionV>[\s\S]*?<wp:wrapTopAndBottom\/>[\s\S]*?<w:txbxContent><w:tbl>[\s\S]*?<w:top w:val="single" w:color="000000" w:sz="8"\/>[\s\S]*?抄送：县卫生健康局，县财政局。[\s\S]*?<w:tab\/>[\s\S]*?2025年1月10日印发[\s\S]*?<\/w:tbl>/);
    expect(xml).not.toContain('w:tblpPr');
    expect(xml.match(/抄送：县卫生健康局/g)).toHaveLength(1);
    expect(xml).toMatch(/<w:sz w:val="28"\/>[\s\S]*?抄送：/);
    // Headings in an attachment are numbered afresh: the table caption is centred bold, not a heading.
    expect(xml).toMatch(/<w:jc w:val="center"\/>[\s\S]{0,400}考核方式一览/);
  });
});

describe('HTML', () => {
  it('条目, 附件说明, 附件 pages and the 版记', async () => {
    const html = String(await convertMarkdown(await planMarkdown(plan), 'html'));
    expect(html).toContain('<ol class="items"><li>1、突出社会效益。</li><li>2、分级考核。</li></ol>');
    expect(html).toContain('<div class="attachments"><p>附件：1．绩效考核评分表</p><p>2．考核日程</p></div>');
    expect(html).toContain('<div class="attachment">附件1</div>');
    expect(html).toContain('<div class="imprint"><p>抄送：县卫生健康局，县财政局。</p><p class="issued"><span>青石镇卫生院办公室</span><span>2025年1月10日印发</span></p></div>');
    expect(html).toContain('<p class="caption">考核方式一览</p>');
  });
});
