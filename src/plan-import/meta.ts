// The metadata a plan's text gives away: unit, year and kind from its title, its signature or its first sentences — each marked when it is a guess.
import { PLACEHOLDER_RE } from '../plan/rules.js';
import type { Check, Meta, Node, PlanKind } from './tree.js';

const UNIT_SUFFIX = '(中心卫生院|卫生院|社区卫生服务中心|社区卫生服务站|卫生服务中心|卫生服务站|妇幼保健院|妇幼保健所|妇幼保健站|防保站|疾病预防控制中心|人民医院|中医院|医院)';
const UNIT_NAME = new RegExp(`([\\u4e00-\\u9fa5A-Za-z×]{2,14}?)${UNIT_SUFFIX}`, 'g');
/** A unit's name starts with a place (a town, township, street, community, county …) and holds no function words. */
const PLACE = /^(?:[\u4e00-\u9fa5]{1,8}(?:镇|乡|街道|社区|县|市|区|村|旗)[\u4e00-\u9fa5]{0,6}|[xX×]{2,}(?:[\u4e00-\u9fa5]{0,4}(?:镇|乡|街道|社区|县|市|区|村))?)$/;
/** "……乡镇卫生院", "城乡……" name a kind of unit, not one unit. */
const DETERMINER = /^(?:全|各|本|我|该|每|所有|其他|其余|上级|下级)/;
const GENERIC_END = /(?:乡镇|城乡|城市|农村|基层|贫困县|县级|市级)$/;
const FUNCTION_WORD = /[和的在我对与及了是将为从向由把被就都也又还某年]|进一步|完善|加强|提高|推进|开展|落实|做好|建立|健全|规范/;
const NOT_A_NAME = /^(?:20\d\d|20[xX×]{2})?(?:年度?|的|各|全|本|我|该|乡镇|农村|基层|城市|社区|城乡|贫困县?|县级|市级|省级|区县级|县市区)+$/;

function unitIn(text: string): string | undefined {
  for (const m of text.matchAll(UNIT_NAME)) {
    const prefix = m[1]!.replace(/^(?:20\d\d|20[xX×]{2})?年度?/, '');
    // In "云溪社区卫生服务中心" the 社区 is the place.
    const place = prefix + (m[2]!.startsWith('社区') ? '社区' : '');
    if (!prefix || NOT_A_NAME.test(prefix) || GENERIC_END.test(prefix) || DETERMINER.test(prefix) || !PLACE.test(place) || FUNCTION_WORD.test(prefix)) continue;
    return m[0].slice(m[0].indexOf(prefix));
  }
  return undefined;
}

export function kindOf(title: string): PlanKind | undefined {
  if (/考核方案|考核办法|考核细则/.test(title)) return '考核方案';
  if (/方案/.test(title)) return '实施方案';
  if (/计划|要点|安排|思路|打算/.test(title)) return '年度工作计划';
  return undefined;
}

/** The first paragraphs of the document, inside sections or not. */
function firstParagraphs(nodes: Node[], n: number, out: string[] = []): string[] {
  for (const x of nodes) {
    if (out.length >= n) break;
    if (x.kind === 'paragraph') out.push(x.text);
    else if (x.kind === 'section') firstParagraphs(x.children, n, out);
  }
  return out;
}

/** Fill 单位, 年度 and 文档类型 from what the tree holds; `firstTexts` are the opening paragraphs. */
export function inferMeta(meta: Meta, body: Node[], checks: Check[]): void {
  const title = meta.标题?.value ?? '';
  const opening = firstParagraphs(body, 3);
  const signed = meta.落款?.value ?? '';

  const fromTitle = unitIn(title);
  const fromSign = signed && unitIn(signed);
  const fromText = opening.map(unitIn).find(Boolean);
  const unit = fromTitle ?? (fromSign || undefined) ?? fromText;
  if (unit) {
    const guessed = !fromTitle && !fromSign;
    meta.单位 = { value: unit, at: fromTitle ? meta.标题!.at : fromSign ? meta.落款!.at : undefined, guessed };
    if (guessed) checks.push({ code: 'IMPORT_META_GUESS', severity: 'warning', message: `单位“${unit}”取自正文的开头，请核对`, ref: '单位' });
  } else {
    checks.push({ code: 'IMPORT_META_MISSING', severity: 'warning', message: '原文中没有找到单位名称，请填写', ref: '单位' });
  }

  const year = /(20\d{2})(?!\d)/.exec(title);
  const yearPlaceholder = /20[xX×]{2}/.test(title);
  const dated = meta.成文日期 && /^(\d{4})\s*年/.exec(meta.成文日期.value);
  const textYear = opening.map((t) => /^(20\d{2})\s*年(?!版)/.exec(t)?.[1]).find(Boolean);
  if (year) meta.年度 = { value: Number(year[1]), at: meta.标题!.at, guessed: false };
  else if (yearPlaceholder) meta.年度 = { value: /20[xX×]{2}/.exec(title)![0], at: meta.标题!.at, guessed: false };
  else if (textYear) {
    meta.年度 = { value: Number(textYear), guessed: true };
    checks.push({ code: 'IMPORT_META_GUESS', severity: 'warning', message: `年度 ${textYear} 取自正文开头的“${textYear}年”，请核对`, ref: '年度' });
  } else if (dated) {
    meta.年度 = { value: Number(dated[1]), at: meta.成文日期!.at, guessed: true };
    checks.push({ code: 'IMPORT_META_GUESS', severity: 'warning', message: `年度 ${dated[1]} 取自落款日期，请核对（年底写的计划通常是下一年度的）`, ref: '年度' });
  } else {
    checks.push({ code: 'IMPORT_META_MISSING', severity: 'warning', message: '原文中没有写明年度，请填写', ref: '年度' });
  }

  const kind = kindOf(title);
  meta.文档类型 = { value: kind ?? '年度工作计划', at: meta.标题?.at, guessed: !kind };
  if (!kind) checks.push({ code: 'IMPORT_META_GUESS', severity: 'info', message: '标题没有说明文档类型，按年度工作计划导入，请核对', ref: '文档类型' });
  if (meta.标题 && PLACEHOLDER_RE.test(meta.标题.value)) {
    checks.push({ code: 'IMPORT_PLACEHOLDER', severity: 'warning', message: `标题“${meta.标题.value}”中有没填写的占位符`, at: meta.标题.at, ref: '标题' });
  }
}
