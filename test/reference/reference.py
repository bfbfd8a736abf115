#!/usr/bin/env python3
"""Independent reference implementation of the indicator definitions in docs/indicators.md (stdlib only).

Written from the specification text (indicators.md, immunization-schedule.md, registers.md), not
from gongwei's SQL. It reads the raw register CSV files written by gen_registers.py (manifest.json
gives the import order) and applies the import's natural-key rules itself, so the import is covered
too: a later row with the same natural key replaces the earlier one ("the last row imported"),
across files and inside one file alike (docs/registers.md, REG_DUPLICATE_KEY).

Usage: reference.py <data_dir> <period> [--by village|doctor] [--schedule 2021|2025|auto]
Prints JSON: {"results": [{"id", "group", "numerator", "denominator", "value"}]}
"""
import calendar
import csv
import datetime as dt
import json
import os
import re
import sys

UNFILLED = '（未填写）'

# ---------------------------------------------------------------------------------------------
# Reading the registers
# ---------------------------------------------------------------------------------------------

COLUMNS = {  # register -> {Chinese header: (column, type)}
    'population': {'年度': ('year', 'int'), '所属村': ('village', 'text'), '常住人口': ('resident_population', 'int'),
                   '户籍人口': ('registered_population', 'int'), '0-6岁儿童数': ('children_0_6', 'int'),
                   '65岁及以上人口': ('elderly_65', 'int'), '活产数': ('live_births', 'int'), '18岁及以上人口': ('adults_18', 'int'),
                   '高血压估算患者数': ('hypertension_estimated', 'int'), '糖尿病估算患者数': ('diabetes_estimated', 'int'),
                   '严重精神障碍估算患者数': ('smi_estimated', 'int')},
    'residents': {'档案编号': ('record_id', 'text'), '姓名': ('name', 'text'), '性别': ('sex', 'text'), '出生日期': ('birth_date', 'date'),
                  '所属村': ('village', 'text'), '建档日期': ('created_date', 'date'), '是否电子档案': ('is_electronic', 'bool'),
                  '最近服务日期': ('last_service_date', 'date'), '档案状态': ('status', 'text'), '责任医生': ('doctor', 'text')},
    'children': {'儿童编号': ('child_id', 'text'), '姓名': ('name', 'text'), '性别': ('sex', 'text'), '出生日期': ('birth_date', 'date'),
                 '所属村': ('village', 'text'), '建卡日期': ('card_date', 'date'), '建证日期': ('certificate_date', 'date'),
                 '居住起始日期': ('resident_since', 'date'), '在册状态': ('status', 'text'), '状态变更日期': ('status_date', 'date'),
                 '责任医生': ('doctor', 'text')},
    'vaccinations': {'儿童编号': ('child_id', 'text'), '疫苗名称': ('vaccine', 'vaccine'), '剂次': ('dose', 'int'),
                     '接种日期': ('vaccination_date', 'date'), '接种单位': ('unit', 'text'), '疫苗批号': ('batch', 'text')},
    'child_visits': {'儿童编号': ('child_id', 'text'), '随访日期': ('visit_date', 'date'), '随访类型': ('visit_type', 'text'),
                     '随访医生': ('doctor', 'text')},
    'maternal': {'孕产妇编号': ('mother_id', 'text'), '姓名': ('name', 'text'), '出生日期': ('birth_date', 'date'), '所属村': ('village', 'text'),
                 '末次月经': ('lmp', 'date'), '建册日期': ('booking_date', 'date'), '产前检查次数': ('prenatal_visits', 'int'),
                 '分娩日期': ('delivery_date', 'date'), '出院日期': ('discharge_date', 'date'), '产后访视日期': ('postpartum_visit_date', 'date'),
                 '产后42天检查日期': ('postpartum_42d_date', 'date'), '责任医生': ('doctor', 'text')},
    'elderly_checkups': {'档案编号': ('record_id', 'text'), '姓名': ('name', 'text'), '出生日期': ('birth_date', 'date'),
                         '所属村': ('village', 'text'), '体检日期': ('exam_date', 'date'), '体检表完整': ('complete', 'bool'),
                         '健康指导': ('health_guidance', 'text'), '中医体质辨识': ('tcm', 'bool'), '责任医生': ('doctor', 'text')},
    'infectious_reports': {'卡片编号': ('card_id', 'text'), '疾病名称': ('disease', 'text'), '传染病类别': ('category', 'text'),
                           '诊断时间': ('diagnosed_at', 'datetime'), '报告时间': ('reported_at', 'datetime'),
                           '是否网络直报': ('reported_online', 'bool'), '所属村': ('village', 'text')},
    'health_education': {'活动日期': ('activity_date', 'date'), '活动类型': ('activity_type', 'text'), '主题': ('topic', 'text'),
                         '参与人数': ('participants', 'int'), '发放数量': ('materials', 'int'), '所属村': ('village', 'text')},
}
_PATIENTS = {'档案编号': ('patient_id', 'text'), '姓名': ('name', 'text'), '性别': ('sex', 'text'), '出生日期': ('birth_date', 'date'),
             '所属村': ('village', 'text'), '确诊日期': ('diagnosed_date', 'date'), '纳入管理日期': ('enrolled_date', 'date'),
             '管理状态': ('status', 'text'), '终止管理日期': ('ended_date', 'date'), '责任医生': ('doctor', 'text'), '诊断': ('diagnosis', 'text')}
_FOLLOWUPS = {'档案编号': ('patient_id', 'text'), '随访日期': ('followup_date', 'date'), '随访方式': ('method', 'text'),
              '收缩压': ('sbp', 'int'), '舒张压': ('dbp', 'int'), '空腹血糖': ('fbg', 'float'), '病情': ('condition', 'text'),
              '随访医生': ('doctor', 'text')}
for _p in ('hypertension', 'diabetes', 'mental'):
    COLUMNS[_p + '_patients'] = _PATIENTS
    COLUMNS[_p + '_followups'] = _FOLLOWUPS

KEYS = {'population': ('year', 'village'), 'residents': ('record_id',), 'children': ('child_id',),
        'vaccinations': ('child_id', 'vaccine', 'dose'), 'child_visits': ('child_id', 'visit_date'),
        'maternal': ('mother_id', 'delivery_date'), 'elderly_checkups': ('record_id', 'exam_date'),
        'infectious_reports': ('card_id',), 'health_education': ('activity_date', 'activity_type', 'topic')}
for _p in ('hypertension', 'diabetes', 'mental'):
    KEYS[_p + '_patients'] = ('patient_id',)
    KEYS[_p + '_followups'] = ('patient_id', 'followup_date')

# immunization-schedule.md: names seen in registers -> schedule code.
VACCINES = {
    'HepB': ['乙肝疫苗', '乙型肝炎疫苗', '重组乙型肝炎疫苗'],
    'BCG': ['卡介苗'],
    'Polio': ['脊灰疫苗', '脊灰灭活疫苗', '脊灰灭活疫苗（IPV）', '脊灰灭活疫苗(IPV)', 'IPV', '脊灰减毒活疫苗', '二价脊灰', 'bOPV', '糖丸'],
    'DTaP': ['百白破疫苗', '无细胞百白破', '吸附无细胞百白破联合疫苗'],
    'DT': ['白破疫苗', '吸附白破联合疫苗'],
    'MMR': ['麻腮风疫苗', '麻腮风联合减毒活疫苗', '麻风腮'],
    'JE-L': ['乙脑减毒活疫苗', '乙脑疫苗'],
    'MPSV-A': ['A群流脑多糖疫苗', 'A群流脑疫苗'],
    'MPSV-AC': ['A群C群流脑多糖疫苗', 'A+C流脑疫苗'],
    'HepA-L': ['甲肝减毒活疫苗', '甲肝疫苗'],
}
VACCINE_CODE = {n.lower(): code for code, names in VACCINES.items() for n in names}


# A few value spellings the generator uses besides the canonical ones (registers.md: 电话随访 etc.).
ALIASES = {'电话随访': '电话', '门诊随访': '门诊', '家庭随访': '家庭', '已迁出': '迁出', '已死亡': '死亡'}
BOOLEAN = {'是': True, '有': True, '√': True, '否': False, '无': False, '×': False}


def parse_date(v):
    m = (re.fullmatch(r'(\d{4})-(\d{1,2})-(\d{1,2})', v) or re.fullmatch(r'(\d{4})/(\d{1,2})/(\d{1,2})', v)
         or re.fullmatch(r'(\d{4})\.(\d{1,2})\.(\d{1,2})', v) or re.fullmatch(r'(\d{4})(\d{2})(\d{2})', v)
         or re.fullmatch(r'(\d{4})年(\d{1,2})月(\d{1,2})日', v))
    if not m:
        raise ValueError(f'date {v!r}')
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def parse(value, typ):
    v = value.strip()
    if v == '':
        return None
    if typ == 'text':
        return ALIASES.get(v, v)
    if typ == 'int':
        return int(re.fullmatch(r'第?(\d+)剂?', v)[1])
    if typ == 'float':
        return float(v)
    if typ == 'date':
        return parse_date(v)
    if typ == 'datetime':
        day, _, time = v.partition(' ')
        hh, mm, ss = (time.split(':') + ['0', '0', '0'])[:3] if time else ('0', '0', '0')
        return dt.datetime.combine(parse_date(day), dt.time(int(hh), int(mm), int(ss)))
    if typ == 'bool':
        return BOOLEAN[v]
    if typ == 'vaccine':
        return VACCINE_CODE.get(v.lower(), v)
    raise ValueError(typ)




def rejected_on_import(reg, row):
    """indicators.md, Managed in P: a row whose ended_date is before its enrolled_date is rejected on import."""
    if reg.endswith('_patients'):
        return row.get('ended_date') is not None and row.get('enrolled_date') is not None and row['ended_date'] < row['enrolled_date']
    return False


def load(data_dir):
    with open(os.path.join(data_dir, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    tables = {reg: {} for reg in COLUMNS}
    for entry in manifest['files']:
        reg = entry['register']
        cols = COLUMNS[reg]
        encoding = 'utf-8-sig' if entry.get('encoding', 'utf-8').startswith('utf-8') else entry['encoding']
        with open(os.path.join(data_dir, entry['file']), encoding=encoding, newline='') as f:
            rows = csv.reader(f)
            header = next(rows)
            for raw in rows:
                row = {}
                for h, cell in zip(header, raw):
                    name, typ = cols[h]
                    row[name] = parse(cell, typ)
                if rejected_on_import(reg, row):
                    continue  # not stored: an earlier row with the same key stays
                key = tuple(row[k] for k in KEYS[reg])
                tables[reg][key] = row  # a later row (of this file or a later one) replaces the stored one
    return {reg: list(rows.values()) for reg, rows in tables.items()}


# ---------------------------------------------------------------------------------------------
# Dates, periods, ages
# ---------------------------------------------------------------------------------------------

def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_age(d, age):
    years, months, days = age
    return add_months(d, 12 * years + months) + dt.timedelta(days=days)


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def parse_period(p):
    m = re.fullmatch(r'(\d{4})', p)
    if m:
        y = int(p)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = re.fullmatch(r'(\d{4})Q([1-4])', p)
    if m:
        y, q = int(m[1]), int(m[2])
        s = dt.date(y, 3 * q - 2, 1)
        return s, add_months(s, 3) - dt.timedelta(days=1)
    m = re.fullmatch(r'(\d{4})-(\d{2})', p)
    if m:
        s = dt.date(int(m[1]), int(m[2]), 1)
        return s, add_months(s, 1) - dt.timedelta(days=1)
    m = re.fullmatch(r'(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})', p)
    if m:
        s = dt.date(int(m[1]), int(m[2]), 1)
        e = dt.date(int(m[3]), int(m[4]), 1)
        return s, add_months(e, 1) - dt.timedelta(days=1)
    raise ValueError(p)


def quarter_index(d):
    return d.year * 4 + (d.month - 1) // 3


# ---------------------------------------------------------------------------------------------
# Immunization schedule (immunization-schedule.md)
# ---------------------------------------------------------------------------------------------

M = lambda n: (0, n, 0)  # noqa: E731
Y = lambda n: (n, 0, 0)  # noqa: E731
BIRTH = (0, 0, 0)
SCHEDULE_2021 = [
    ('HepB', 1, BIRTH), ('HepB', 2, M(1)), ('HepB', 3, M(6)),
    ('BCG', 1, BIRTH),
    ('Polio', 1, M(2)), ('Polio', 2, M(3)), ('Polio', 3, M(4)), ('Polio', 4, Y(4)),
    ('DTaP', 1, M(3)), ('DTaP', 2, M(4)), ('DTaP', 3, M(5)), ('DTaP', 4, M(18)),
    ('DT', 1, Y(6)),
    ('MMR', 1, M(8)), ('MMR', 2, M(18)),
    ('JE-L', 1, M(8)), ('JE-L', 2, Y(2)),
    ('MPSV-A', 1, M(6)), ('MPSV-A', 2, M(9)),
    ('MPSV-AC', 1, Y(3)), ('MPSV-AC', 2, Y(6)),
    ('HepA-L', 1, M(18)),
]
# From 2025: DTaP at 2, 4, 6, 18 months and 6 years, replacing DT at 6 years.
SCHEDULE_2025 = [d for d in SCHEDULE_2021 if d[0] not in ('DTaP', 'DT')]
_i = [d[0] for d in SCHEDULE_2025].index('MMR')
SCHEDULE_2025[_i:_i] = [('DTaP', 1, M(2)), ('DTaP', 2, M(4)), ('DTaP', 3, M(6)), ('DTaP', 4, M(18)), ('DTaP', 5, Y(6))]


def timely_end(birth, code, dose, due):
    if code == 'HepB' and dose == 1:
        return birth + dt.timedelta(days=1)  # within 24 hours of birth
    return add_months(due, 1)  # every other dose: by due date + 1 month


def age_in_months(age):
    return age[0] * 12 + age[1]


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------

class Acc:
    """numerator / denominator per group (None = the whole unit)."""

    def __init__(self):
        self.num = {}
        self.den = {}

    def add(self, group, num=0, den=0):
        for g in ((None,) if group is None else (None, group)):
            self.num[g] = self.num.get(g, 0) + num
            self.den[g] = self.den.get(g, 0) + den


def gkey(value):
    return value if value else UNFILLED


def compute(tables, period, by=None, schedule='2021'):
    S, E = parse_period(period)
    in_p = lambda d: d is not None and S <= d <= E  # noqa: E731
    grp = (lambda row: gkey(row.get(by))) if by else (lambda row: None)
    out = []  # (id, kind, acc, population column or None)

    pop_rows = [r for r in tables['population'] if r['year'] == E.year]

    def population(column):
        tot = {}
        for r in pop_rows:
            v = r.get(column)
            if v is None:
                continue
            tot[None] = tot.get(None, 0) + v
            tot[gkey(r['village'])] = tot.get(gkey(r['village']), 0) + v
        return tot

    # ---- health records -----------------------------------------------------------------------
    hr, ehr, use = Acc(), Acc(), Acc()
    for r in tables['residents']:
        if r['created_date'] is not None and r['created_date'] <= E and r['status'] not in ('死亡', '迁出'):
            g = grp(r)
            hr.add(g, 1)
            ehr.add(g, 1 if r['is_electronic'] is not False else 0)
            use.add(g, 1 if in_p(r['last_service_date']) else 0, 1)
    out += [('health-record-rate', 'pop', hr, 'resident_population'),
            ('e-health-record-rate', 'pop', ehr, 'resident_population'),
            ('health-record-usage-rate', 'rate', use, None)]

    # ---- children -----------------------------------------------------------------------------
    children = {c['child_id']: c for c in tables['children']}

    def in_register_at_e(c):
        return (c['birth_date'] <= E and (c['status'] == '在册' or (c['status_date'] is not None and c['status_date'] > E)))

    vacc = {}
    for v in tables['vaccinations']:
        vacc[(v['child_id'], v['vaccine'], v['dose'])] = v['vaccination_date']
    visits = {}
    for v in tables['child_visits']:
        visits.setdefault(v['child_id'], []).append(v['visit_date'])

    cert = Acc()
    e_minus_3m = add_months(E, -3)
    for c in children.values():
        if not in_register_at_e(c) or age_on(c['birth_date'], E) >= 7:
            continue
        since = c['resident_since'] or c['birth_date']
        if since > e_minus_3m:
            continue
        cert.add(grp(c), 1 if (c['certificate_date'] is not None and c['certificate_date'] <= E) else 0, 1)
    out.append(('vaccination-certificate-rate', 'rate', cert, None))

    def sched_for(c):
        if schedule == '2021':
            return SCHEDULE_2021
        if schedule == '2025':
            return SCHEDULE_2025
        return SCHEDULE_2025 if c['birth_date'] >= dt.date(2025, 1, 1) else SCHEDULE_2021  # auto: birth cohort

    dose_ids = []
    for sch in ([SCHEDULE_2021] if schedule == '2021' else [SCHEDULE_2025] if schedule == '2025' else [SCHEDULE_2021, SCHEDULE_2025]):
        for code, dose, _age in sch:
            if (code, dose) not in dose_ids:
                dose_ids.append((code, dose))
    cov = {d: Acc() for d in dose_ids}
    tim = {d: Acc() for d in dose_ids}
    cov0, cov16, drop = Acc(), Acc(), Acc()
    for c in children.values():
        if not in_register_at_e(c):
            continue
        g = grp(c)
        for code, dose, age in sched_for(c):
            due = add_age(c['birth_date'], age)
            if not in_p(due):
                continue
            given = vacc.get((c['child_id'], code, dose))
            shot = 1 if (given is not None and given <= E) else 0
            # A dose given after E never counts in P (实种 and 及时 alike): a timely dose is a 实种 dose.
            timely = 1 if (shot and given <= timely_end(c['birth_date'], code, dose, due)) else 0
            cov[(code, dose)].add(g, shot, 1)
            tim[(code, dose)].add(g, timely, 1)
            months = age_in_months(age)
            if months < 12:
                cov0.add(g, shot, 1)
            elif months <= 72:
                cov16.add(g, shot, 1)
            if code == 'DTaP' and dose == 3:
                d1 = vacc.get((c['child_id'], 'DTaP', 1))
                if d1 is not None and d1 <= E:
                    drop.add(g, 0 if shot else 1, 1)
    hepb, newborn = Acc(), Acc()
    for c in children.values():
        if not in_p(c['birth_date']):
            continue
        g = grp(c)
        d1 = vacc.get((c['child_id'], 'HepB', 1))
        hepb.add(g, 1 if (d1 is not None and d1 <= c['birth_date'] + dt.timedelta(days=1) and d1 <= E) else 0, 1)
        ok = any(0 <= (v - c['birth_date']).days <= 28 for v in visits.get(c['child_id'], []))
        newborn.add(g, 1 if ok else 0, 1)
    out += [('hepb-birth-dose-timely-rate', 'rate', hepb, None), ('coverage-0y', 'rate', cov0, None),
            ('coverage-1-6y', 'rate', cov16, None), ('dtap-dropout-rate', 'rate', drop, None)]
    for d in dose_ids:
        out.append((f'coverage.{d[0]}.{d[1]}', 'rate', cov[d], None))
        out.append((f'timely-coverage.{d[0]}.{d[1]}', 'rate', tim[d], None))
    out.append(('newborn-visit-rate', 'rate', newborn, None))

    chm = Acc()
    for c in children.values():
        if in_register_at_e(c) and age_on(c['birth_date'], E) < 7:
            if any(in_p(v) for v in visits.get(c['child_id'], [])):
                chm.add(grp(c), 1)
    out.append(('child-health-management-rate', 'pop', chm, 'children_0_6'))

    # ---- maternal -----------------------------------------------------------------------------
    early, post = Acc(), Acc()
    for m in tables['maternal']:
        if not in_p(m['delivery_date']):
            continue
        g = grp(m)
        ok = m['lmp'] is not None and m['booking_date'] is not None and (m['booking_date'] - m['lmp']).days <= 90
        early.add(g, 1 if ok else 0, 1)
        base = m['discharge_date'] or m['delivery_date']
        pv = m['postpartum_visit_date']
        post.add(g, 1 if (pv is not None and 0 <= (pv - base).days <= 28) else 0, 1)
    out += [('early-booking-rate', 'rate', early, None), ('postpartum-visit-rate', 'rate', post, None)]

    # ---- elderly ------------------------------------------------------------------------------
    people, tcm_people = {}, {}
    for r in sorted(tables['elderly_checkups'], key=lambda r: r['exam_date']):
        if not in_p(r['exam_date']) or r['birth_date'] is None or age_on(r['birth_date'], E) < 65:
            continue
        if r['complete'] is False:
            continue
        people[r['record_id']] = grp(r)
        if r['tcm'] is True:
            tcm_people[r['record_id']] = grp(r)
    ehm, etcm = Acc(), Acc()
    for g in people.values():
        ehm.add(g, 1)
    for g in tcm_people.values():
        etcm.add(g, 1)
    out += [('elderly-health-management-rate', 'pop', ehm, 'elderly_65'), ('elderly-tcm-rate', 'pop', etcm, 'elderly_65')]

    # ---- patients -----------------------------------------------------------------------------
    def managed(p):
        if p['enrolled_date'] is None or p['enrolled_date'] > E:
            return False
        if p['ended_date'] is None:
            return p['status'] == '在管'  # "status is not 在管 and no ended_date": ended before S (empty status too)
        if p['ended_date'] < p['enrolled_date']:
            return False  # "it cannot be managed at all" (and is rejected on import)
        return p['ended_date'] >= S

    def required(p):
        lo = max(S, p['enrolled_date'])
        hi = min(E, p['ended_date'] or E)
        return max(0, quarter_index(hi) - quarter_index(lo) + 1) if lo <= hi else 0

    for prefix, disease in (('hypertension', 'hypertension'), ('diabetes', 'diabetes'), ('smi', 'mental')):
        fus = {}
        for f in tables[disease + '_followups']:
            fus.setdefault(f['patient_id'], []).append(f)
        count, rate, std, ctl = Acc(), Acc(), Acc(), Acc()
        for p in tables[disease + '_patients']:
            if not managed(p):
                continue
            g = grp(p)
            count.add(g, 1)
            rows = fus.get(p['patient_id'], [])
            q = required(p)
            span_end = p['ended_date'] or E
            if disease == 'mental':  # any method, dated in P and inside the managed span
                n = sum(1 for f in rows if in_p(f['followup_date']) and p['enrolled_date'] <= f['followup_date'] <= span_end)
            else:
                n = sum(1 for f in rows if in_p(f['followup_date']) and p['enrolled_date'] <= f['followup_date'] <= span_end
                        and f['method'] != '电话')
            std.add(g, 1 if n >= q else 0, 1)
            latest = None
            for f in rows:
                if in_p(f['followup_date']) and (latest is None or f['followup_date'] >= latest['followup_date']):
                    latest = f
            ok = False
            if latest is not None:
                if disease == 'hypertension':
                    ok = bp_controlled(latest, p)
                elif disease == 'diabetes':
                    ok = latest['fbg'] is not None and latest['fbg'] < 7.0
                else:
                    ok = latest['condition'] == '稳定'
            ctl.add(g, 1 if ok else 0, 1)
        if prefix == 'smi':
            out += [('smi-standard-management-rate', 'rate', std, None), ('smi-stable-rate', 'rate', ctl, None)]
        else:
            out += [(f'{prefix}-managed', 'count', count, None),
                    (f'{prefix}-management-rate', 'pop', count, f'{prefix}_estimated'),
                    (f'{prefix}-standard-management-rate', 'rate', std, None),
                    (f'{prefix}-control-rate', 'rate', ctl, None)]

    # ---- infectious diseases ------------------------------------------------------------------
    timely_cards, online = Acc(), Acc()
    for c in tables['infectious_reports']:
        if not in_p(c['diagnosed_at'].date()):
            continue
        g = grp(c)
        limit = dt.timedelta(hours=2 if c['category'] in ('甲类', '乙类按甲类管理') else 24)
        ok = c['reported_at'] is not None and c['reported_at'] - c['diagnosed_at'] <= limit
        timely_cards.add(g, 1 if ok else 0, 1)
        online.add(g, 1 if c['reported_online'] is True else 0, 1)
    out += [('infectious-report-timeliness-rate', 'rate', timely_cards, None), ('infectious-report-rate', 'rate', online, None)]

    # ---- health education ---------------------------------------------------------------------
    lec, con, mat = Acc(), Acc(), Acc()
    for a in tables['health_education']:
        if not in_p(a['activity_date']):
            continue
        g = grp(a)
        if a['activity_type'] == '讲座':
            lec.add(g, 1)
        elif a['activity_type'] == '咨询':
            con.add(g, 1)
        elif a['activity_type'] == '发放资料':
            mat.add(g, a['materials'] or 0)
    out += [('health-education-lectures', 'count', lec, None), ('health-education-consultations', 'count', con, None),
            ('health-education-materials', 'count', mat, None)]

    # ---- assemble -----------------------------------------------------------------------------
    results = []
    for ind_id, kind, acc, pop_col in out:
        groups = [None] + sorted(g for g in set(acc.num) | set(acc.den) if g is not None)
        pop = population(pop_col) if kind == 'pop' else None
        for g in groups:
            num = acc.num.get(g, 0)
            if kind == 'count':
                den, value = None, num
            elif kind == 'pop':
                den = pop.get(g) if (by != 'doctor' or g is None) else None
                value = num / den * 100 if den else None
            else:
                den = acc.den.get(g, 0)
                value = num / den * 100 if den else None
            results.append({'id': ind_id, 'group': g, 'numerator': num, 'denominator': den, 'value': value})
    return results


def bp_controlled(f, p):
    if f['sbp'] is None or f['dbp'] is None:
        return False
    old = p['birth_date'] is not None and age_on(p['birth_date'], f['followup_date']) >= 65
    return f['sbp'] < (150 if old else 140) and f['dbp'] < 90


def main(argv):
    data_dir, period = argv[0], argv[1]
    by, schedule = None, '2021'
    rest = argv[2:]
    while rest:
        opt, val, rest = rest[0], rest[1], rest[2:]
        if opt == '--by':
            by = val
        elif opt == '--schedule':
            schedule = val
        else:
            raise SystemExit(f'unknown option {opt}')
    tables = load(data_dir)
    json.dump({'period': period, 'by': by, 'schedule': schedule, 'results': compute(tables, period, by, schedule)},
              sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main(sys.argv[1:])
