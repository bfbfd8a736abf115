#!/usr/bin/env python3
"""Deterministic (seeded) generator of small, boundary-heavy registers for the reference check.

Writes UTF-8 CSV files with the Chinese headers gongwei accepts, plus manifest.json listing the
files in import order with the register each one is meant for. Every value is written the way a
clean export writes it (ISO dates, 是/否), so the reference can read the files directly.

Usage: gen_registers.py <seed> <out_dir>
"""
import calendar
import csv
import datetime as dt
import json
import os
import random
import sys

CUTOFF = dt.date(2026, 3, 31)  # nothing later: import rejects dates after today
VILLAGES = ['青石村', '东溪村', '南岭村', '北坪村', '']  # 北坪村 has no population row; '' = not filled in
VILLAGE_WEIGHTS = [30, 25, 20, 10, 5]
DOCTORS = ['李医生', '王医生', '张医生', '']

# Period ends (and starts) that the check computes; boundaries are put on and around them.
ENDS = ['2024-12-31', '2025-01-31', '2025-02-28', '2025-03-31', '2025-05-31', '2025-06-30',
        '2025-08-31', '2025-09-30', '2025-11-30', '2025-12-31', '2026-03-31', '2026-12-31']
STARTS = ['2024-10-01', '2025-01-01', '2025-02-01', '2025-04-01', '2025-05-01', '2025-07-01',
          '2025-08-01', '2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01']

VACCINE_NAMES = {
    'HepB': ['乙肝疫苗', '乙型肝炎疫苗', '重组乙型肝炎疫苗'],
    'BCG': ['卡介苗'],
    'Polio': ['脊灰疫苗', '脊灰灭活疫苗', '脊灰灭活疫苗（IPV）', 'IPV', '脊灰减毒活疫苗', '二价脊灰', 'bOPV', '糖丸'],
    'DTaP': ['百白破疫苗', '无细胞百白破', '吸附无细胞百白破联合疫苗'],
    'DT': ['白破疫苗', '吸附白破联合疫苗'],
    'MMR': ['麻腮风疫苗', '麻腮风联合减毒活疫苗', '麻风腮'],
    'JE-L': ['乙脑减毒活疫苗', '乙脑疫苗'],
    'MPSV-A': ['A群流脑多糖疫苗', 'A群流脑疫苗'],
    'MPSV-AC': ['A群C群流脑多糖疫苗', 'A+C流脑疫苗'],
    'HepA-L': ['甲肝减毒活疫苗', '甲肝疫苗'],
}
# (code, dose, (years, months, days)) -- what the generator gives children of each cohort.
S2021 = [('HepB', 1, (0, 0, 0)), ('HepB', 2, (0, 1, 0)), ('HepB', 3, (0, 6, 0)), ('BCG', 1, (0, 0, 0)),
         ('Polio', 1, (0, 2, 0)), ('Polio', 2, (0, 3, 0)), ('Polio', 3, (0, 4, 0)), ('Polio', 4, (4, 0, 0)),
         ('DTaP', 1, (0, 3, 0)), ('DTaP', 2, (0, 4, 0)), ('DTaP', 3, (0, 5, 0)), ('DTaP', 4, (0, 18, 0)),
         ('DT', 1, (6, 0, 0)), ('MMR', 1, (0, 8, 0)), ('MMR', 2, (0, 18, 0)), ('JE-L', 1, (0, 8, 0)),
         ('JE-L', 2, (2, 0, 0)), ('MPSV-A', 1, (0, 6, 0)), ('MPSV-A', 2, (0, 9, 0)),
         ('MPSV-AC', 1, (3, 0, 0)), ('MPSV-AC', 2, (6, 0, 0)), ('HepA-L', 1, (0, 18, 0))]
S2025 = [d for d in S2021 if d[0] not in ('DTaP', 'DT')] + [
    ('DTaP', 1, (0, 2, 0)), ('DTaP', 2, (0, 4, 0)), ('DTaP', 3, (0, 6, 0)), ('DTaP', 4, (0, 18, 0)), ('DTaP', 5, (6, 0, 0))]


def D(s):
    return dt.date.fromisoformat(s)


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_age(d, age):
    y, m, days = age
    return add_months(d, 12 * y + m) + dt.timedelta(days=days)


def add_days(d, n):
    return d + dt.timedelta(days=n)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed

    def pick(self, xs, weights=None):
        return self.r.choices(xs, weights=weights)[0] if weights else self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def rand_date(self, lo, hi):
        lo, hi = D(lo) if isinstance(lo, str) else lo, D(hi) if isinstance(hi, str) else hi
        return add_days(lo, self.r.randint(0, (hi - lo).days))

    def village(self):
        return self.pick(VILLAGES, VILLAGE_WEIGHTS)

    def boundary(self, around, spread=(-1, 0, 1)):
        return add_days(D(self.pick(around)), self.pick(spread))


DATE_STYLES = {
    'iso': lambda d: d.isoformat(),
    'slash': lambda d: f'{d.year}/{d.month}/{d.day}',
    'dot': lambda d: f'{d.year}.{d.month:02d}.{d.day:02d}',
    'compact': lambda d: f'{d.year}{d.month:02d}{d.day:02d}',
    'chinese': lambda d: f'{d.year}年{d.month}月{d.day}日',
}


def fmt(v, date_style='iso'):
    if v is None:
        return ''
    if isinstance(v, dt.datetime):
        day = DATE_STYLES['slash' if date_style == 'slash' else 'iso'](v.date())
        return day + v.strftime(' %H:%M:%S' if v.second else ' %H:%M')
    if isinstance(v, dt.date):
        return DATE_STYLES[date_style](v)
    return str(v)


def write(out, name, header, rows, encoding='utf-8', date_style='iso'):
    with open(os.path.join(out, name), 'w', encoding=encoding, newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow([fmt(x, date_style) for x in row])


def generate(seed, out):
    g = Gen(seed)
    os.makedirs(out, exist_ok=True)
    manifest = []

    def emit(name, register, header, rows, bom=False):
        # Most files are clean UTF-8 with ISO dates; some are GB18030 (Excel "save as CSV" on Chinese
        # Windows) or write dates the other ways registers do.
        encoding = 'utf-8-sig' if bom else g.pick(['utf-8', 'utf-8', 'utf-8-sig', 'gb18030'])
        date_style = g.pick(['iso', 'iso', 'iso', 'slash', 'dot', 'compact', 'chinese'])
        if register == 'infectious_reports':
            date_style = g.pick(['iso', 'slash'])
        write(out, name, header, rows, encoding, date_style)
        manifest.append({'file': name, 'register': register, 'encoding': encoding, 'dates': date_style})

    # ---- population: 2024 and 2025 for three villages, 2026 only for 青石村 -----------------------
    pop = []
    for year, villages in ((2024, VILLAGES[:3]), (2025, VILLAGES[:3]), (2026, VILLAGES[:1])):
        for v in villages:
            elderly = 0 if (year == 2025 and v == '南岭村') else g.r.randint(20, 60)  # zero denominator by village
            pop.append([year, v, g.r.randint(300, 900), g.r.randint(300, 900), g.r.randint(15, 60), elderly,
                        g.r.randint(3, 12), g.r.randint(200, 600), g.r.randint(15, 40), g.r.randint(5, 20), g.r.randint(1, 5)])
            if (year, v) == (2025, '东溪村'):
                pop[-1][9] = None  # 糖尿病估算患者数 not filled in for one village
            if (year, v) == (2024, '南岭村'):
                pop[-1][4] = None  # 0-6岁儿童数 not filled in
    emit('人口基础数据.csv', 'population',
         ['年度', '所属村', '常住人口', '户籍人口', '0-6岁儿童数', '65岁及以上人口', '活产数', '18岁及以上人口',
          '高血压估算患者数', '糖尿病估算患者数', '严重精神障碍估算患者数'], pop, bom=True)

    # ---- residents --------------------------------------------------------------------------------
    res = []
    for i in range(160):
        birth = g.rand_date('1940-01-01', '2020-12-31')
        created = None if g.chance(0.06) else (g.boundary(ENDS + STARTS) if g.chance(0.35) else g.rand_date(max(birth, D('2012-01-01')), CUTOFF))
        if created and created < birth:
            created = birth
        if created and created > CUTOFF:
            created = CUTOFF
        last = None if g.chance(0.15) else (g.boundary(ENDS + STARTS) if g.chance(0.4) else g.rand_date('2024-06-01', CUTOFF))
        if last and last > CUTOFF:
            last = CUTOFF
        res.append([f'R{i:04d}', f'居民{i}', g.pick(['男', '女']), birth, g.village(), created,
                    g.pick(['是', '否', ''], [6, 3, 1]), last, g.pick(['正常', '死亡', '迁出', '', '已迁出'], [14, 2, 2, 1, 1]), g.pick(DOCTORS)])
    emit('居民健康档案.csv', 'residents',
         ['档案编号', '姓名', '性别', '出生日期', '所属村', '建档日期', '是否电子档案', '最近服务日期', '档案状态', '责任医生'], res)

    # ---- children, vaccinations, child visits -------------------------------------------------------
    month_ends = ['2024-01-31', '2023-08-31', '2024-02-29', '2025-01-31', '2024-12-31', '2025-03-31',
                  '2024-10-31', '2024-08-31', '2025-05-31', '2024-05-31', '2023-12-31', '2025-07-31']
    children, vacs, vacs2, visits = [], [], [], []
    for i in range(260):
        k = g.r.random()
        if k < 0.15:
            birth = D(g.pick(month_ends))
        elif k < 0.30:  # age 7 at a period end changes on this birthday
            e = D(g.pick(ENDS))
            birth = add_days(add_months(e, -84), g.pick([-1, 0, 1]))
        elif k < 0.50:  # a due date exactly on / beside a period start or end
            code, dose, age = g.pick(S2021 + S2025)
            anchor = D(g.pick(ENDS + STARTS))
            birth = add_days(add_months(anchor, -(12 * age[0] + age[1])), g.pick([-1, 0, 1]))
        else:
            birth = g.rand_date('2017-06-01', '2026-02-28')
        if birth > D('2026-02-28'):
            birth = D('2026-02-28')
        cid = f'C{i:04d}'
        st = g.pick(['在册', '迁出', '死亡', '', '迁出无日期'], [70, 12, 5, 6, 7])
        status_date = None
        if st in ('迁出', '死亡'):
            status_date = g.boundary(ENDS, (0, 1, -1)) if g.chance(0.5) else g.rand_date(birth, CUTOFF)
            if status_date < birth:
                status_date = birth
            if status_date > CUTOFF:
                status_date = CUTOFF
        if st == '迁出无日期':
            st = '迁出'
        if st == '' and g.chance(0.5):
            status_date = g.rand_date(birth, CUTOFF)
        resident_since = None
        if g.chance(0.5):
            if g.chance(0.5):
                e = D(g.pick(ENDS))
                resident_since = add_days(add_months(e, -3), g.pick([-1, 0, 1]))
            else:
                resident_since = g.rand_date(birth, min(CUTOFF, add_days(birth, 2500)))
            if resident_since < birth:
                resident_since = birth
            if resident_since > CUTOFF:
                resident_since = CUTOFF
        cert = None
        if g.chance(0.8):
            cert = add_days(birth, g.r.randint(0, 90)) if g.chance(0.7) else g.boundary(ENDS, (0, 1, 2))
            if cert < birth:
                cert = birth
            if cert > CUTOFF:
                cert = CUTOFF
        card = min(CUTOFF, add_days(birth, g.r.randint(0, 30)))
        children.append([cid, f'儿童{i}', g.pick(['男', '女']), birth, g.village(), card, cert, resident_since,
                         st, status_date, g.pick(DOCTORS)])

        sched = S2025 if birth >= D('2025-01-01') else S2021
        for code, dose, age in sched:
            if not g.chance(0.85):
                continue
            due = add_age(birth, age)
            if age == (0, 0, 0):
                date = add_days(due, g.pick([0, 0, 1, 1, 2, 3, 20, 31, 32]))
            else:
                off = g.pick(['0', '1', '2', '-3', 'm', 'm+1', '15', '45', '100'])
                date = (add_months(due, 1) if off == 'm' else add_days(add_months(due, 1), 1) if off == 'm+1'
                        else add_days(due, int(off)))
            if date > CUTOFF or date < birth:
                continue
            row = [cid, g.pick(VACCINE_NAMES[code]), f'第{dose}剂' if g.chance(0.1) else dose, date, '青石镇卫生院', f'B{g.r.randint(1000, 9999)}']
            vacs.append(row)
            if g.chance(0.03):  # next month's export: a corrected date for this dose
                vacs2.append([cid, row[1], dose, min(CUTOFF, add_days(date, g.pick([-5, 3, 40]))) if date > add_days(birth, 5) else date,
                              '青石镇卫生院', row[5]])
        if g.chance(0.04):
            vacs.append([cid, '水痘疫苗', 1, min(CUTOFF, add_days(birth, 400)), '青石镇卫生院', 'V1'])
        if g.chance(0.03):
            vacs.append([cid, '乙肝疫苗', 4, min(CUTOFF, add_days(birth, 500)), '青石镇卫生院', 'V2'])

        vdates = set()
        if g.chance(0.75):
            vdates.add(add_days(birth, g.pick([0, 1, 3, 7, 14, 27, 28, 28, 29, 29, 35])))
        for _ in range(g.r.randint(0, 4)):
            vdates.add(add_days(birth, g.r.randint(30, 2600)) if g.chance(0.7) else g.boundary(ENDS + STARTS))
        for vd in sorted(vdates):
            if birth <= vd <= CUTOFF:
                visits.append([cid, vd, g.pick(['新生儿访视', '满月', '3月龄', '6月龄', '12月龄', '3岁', '']), g.pick(DOCTORS)])
    # vaccination of a child missing from the roster; a same-key row written twice in one file
    vacs.append(['C9999', '卡介苗', 1, D('2025-03-01'), '青石镇卫生院', 'X'])
    if vacs:
        dup = list(vacs[0])
        dup[3] = add_days(dup[3], 1)  # same child + vaccine + dose, other date: the later row is rejected
        vacs.append(dup)
    emit('儿童花名册.csv', 'children',
         ['儿童编号', '姓名', '性别', '出生日期', '所属村', '建卡日期', '建证日期', '居住起始日期', '在册状态', '状态变更日期', '责任医生'], children)
    vh = ['儿童编号', '疫苗名称', '剂次', '接种日期', '接种单位', '疫苗批号']
    emit('预防接种记录.csv', 'vaccinations', vh, vacs)
    if vacs2:
        emit('预防接种记录（次月导出）.csv', 'vaccinations', vh, vacs2)
    emit('0-6岁儿童健康管理记录.csv', 'child_visits', ['儿童编号', '随访日期', '随访类型', '随访医生'], visits)

    # ---- maternal -----------------------------------------------------------------------------------
    mat = []
    for i in range(70):
        delivery = g.boundary(ENDS + STARTS) if g.chance(0.35) else g.rand_date('2024-09-01', CUTOFF)
        if delivery > CUTOFF:
            delivery = CUTOFF
        lmp = None if g.chance(0.07) else add_days(delivery, -g.r.randint(250, 290))
        booking = None if g.chance(0.07) else (add_days(lmp, g.pick([89, 90, 90, 91, 91, 60, 120, 30, -5])) if lmp else add_days(delivery, -200))
        discharge = None if g.chance(0.3) else add_days(delivery, g.pick([0, 1, 3, 5]))
        base = discharge or delivery
        pv = None if g.chance(0.12) else add_days(base, g.pick([0, 3, 7, 27, 28, 28, 29, 29, 40, -1]))
        if pv and pv > CUTOFF:
            pv = None
        if discharge and discharge > CUTOFF:
            discharge = CUTOFF
        mid = f'M{i:04d}'
        mat.append([mid, f'孕产妇{i}', g.rand_date('1985-01-01', '2002-12-31'), g.village(), lmp, booking, g.r.randint(3, 9),
                    delivery, discharge, pv, None, g.pick(DOCTORS)])
        if g.chance(0.05):  # the same mother, an earlier delivery
            d0 = add_days(delivery, -700)
            mat.append([mid, f'孕产妇{i}', mat[-1][2], mat[-1][3], add_days(d0, -280), add_days(d0, -200), 5, d0, None,
                        add_days(d0, 10), None, mat[-1][11]])
    emit('孕产妇健康管理登记.csv', 'maternal',
         ['孕产妇编号', '姓名', '出生日期', '所属村', '末次月经', '建册日期', '产前检查次数', '分娩日期', '出院日期', '产后访视日期',
          '产后42天检查日期', '责任医生'], mat)

    # ---- elderly checkups ---------------------------------------------------------------------------
    eld = []
    for i in range(130):
        if g.chance(0.4):
            birth = add_days(add_months(D(g.pick(ENDS)), -65 * 12), g.pick([-1, 0, 1]))
        else:
            birth = g.rand_date('1935-01-01', '1962-12-31')
        vil, doc = g.village(), g.pick(DOCTORS)
        dates = set()
        for _ in range(g.pick([0, 1, 1, 1, 2, 2, 3])):
            dates.add(g.boundary(ENDS + STARTS) if g.chance(0.4) else g.rand_date('2024-10-01', CUTOFF))
        if g.chance(0.04):
            birth = None
        for ed in sorted(dates):
            if ed > CUTOFF:
                continue
            if g.chance(0.08):
                vil = g.village()  # moved: a later checkup names another village
            eld.append([f'E{i:04d}', f'老人{i}', birth, vil, ed, g.pick(['是', '否', ''], [6, 2, 2]), '已指导',
                        g.pick(['是', '否', ''], [5, 3, 2]), doc])
    emit('老年人健康体检.csv', 'elderly_checkups',
         ['档案编号', '姓名', '出生日期', '所属村', '体检日期', '体检表完整', '健康指导', '中医体质辨识', '责任医生'], eld)

    # ---- chronic disease patients and follow-ups ----------------------------------------------------
    BP = [(139, 89), (140, 89), (149, 89), (150, 89), (150, 90), (139, 90), (120, 80), (None, 85), (135, None),
          (160, 95), (145, 85), (149, 90)]
    FBG = [6.9, 7.0, 7.1, 5.5, None, 6.99, 8.2]
    ENROL = ['2025-08-15', '2025-08-01', '2025-10-01', '2025-09-30', '2025-01-01', '2025-12-31', '2026-01-01',
             '2025-05-15', '2025-04-01', '2025-03-31', '2025-02-14', '2024-12-31', '2025-11-30']
    ENDED = ['2025-05-10', '2025-05-31', '2024-12-31', '2025-01-01', '2025-03-31', '2025-04-01', '2025-11-02',
             '2025-06-30', '2025-07-01', '2024-11-15', '2025-12-31', '2026-02-10']

    def patients(prefix, kind):
        pats, fus, fus2 = [], [], []
        for i in range(90):
            pid = f'{prefix}{i:04d}'
            enrolled = D(g.pick(ENROL)) if g.chance(0.4) else g.rand_date('2018-01-01', CUTOFF)
            k = g.r.random()
            if k < 0.55:
                st, ended = '在管', None
            elif k < 0.8:
                st, ended = g.pick(['死亡', '迁出', '失访', '终止']), D(g.pick(ENDED)) if g.chance(0.6) else g.rand_date('2024-06-01', CUTOFF)
            elif k < 0.88:
                st, ended = g.pick(['死亡', '迁出', '失访', '终止']), None
            elif k < 0.93:
                st, ended = '', None
            elif k < 0.97:
                st, ended = '在管', D(g.pick(ENDED))
            else:
                st, ended = '', D(g.pick(ENDED))
            if ended and ended < enrolled:
                ended = None if st == '在管' else add_days(enrolled, g.r.randint(0, 200))
                if ended and ended > CUTOFF:
                    ended = CUTOFF
            fdates = set()
            for _ in range(g.r.randint(0, 9)):
                fdates.add(g.rand_date('2024-10-01', CUTOFF))
            for _ in range(g.r.randint(0, 2)):
                fdates.add(g.boundary(ENDS + STARTS, (0, -1)))
            for anchor in (enrolled, ended):
                if anchor and g.chance(0.5):
                    fdates.add(add_days(anchor, g.pick([-1, 0, 1])))
            fdates = sorted(d for d in fdates if D('2024-01-01') <= d <= CUTOFF)
            if fdates and g.chance(0.25):  # 65th birthday on / beside a follow-up date
                birth = add_days(add_months(g.pick(fdates), -65 * 12), g.pick([-1, 0, 1]))
            else:
                birth = g.rand_date('1938-01-01', '1985-12-31')
            if enrolled < birth:
                enrolled = birth
            if g.chance(0.03) and st != '在管':
                ended = add_days(enrolled, -g.r.randint(1, 60))  # ended before enrolment (a data error: rejected on import)
            elif i == 7:  # at least one in every register, whatever the seed
                st, ended = st if st != '在管' else '终止', add_days(enrolled, -30)
            pat = [pid, f'患者{i}', g.pick(['男', '女']), birth, g.village(), add_days(enrolled, -g.r.randint(0, 300)) if g.chance(0.7) else None,
                   enrolled, st, ended, g.pick(DOCTORS)]
            if pat[5] and pat[5] < birth:
                pat[5] = birth
            if g.chance(0.03):
                pat[6] = None  # 纳入管理日期 missing
            if g.chance(0.03):
                pat[3] = None  # 出生日期 missing
            if kind == 'mental':
                pat.append(g.pick(['精神分裂症', '双相（情感）障碍', '癫痫所致精神障碍']))
            pats.append(pat)
            for fd in fdates:
                if fd < birth:
                    continue
                method = g.pick(['门诊', '家庭', '电话', '', '电话随访', '门诊随访'], [5, 3, 3, 1, 1, 1])
                if kind == 'mental':
                    row = [pid, fd, method, g.pick(['稳定', '基本稳定', '不稳定', ''], [5, 3, 2, 1]), g.pick(DOCTORS)]
                else:
                    sbp, dbp = g.pick(BP)
                    row = [pid, fd, method, sbp, dbp]
                    if kind == 'diabetes':
                        row.append(g.pick(FBG))
                    row.append(g.pick(DOCTORS))
                fus.append(row)
                if g.chance(0.04):  # two rows for the same patient and date in one file: the later one is rejected
                    dup = list(row)
                    dup[3] = g.pick(['稳定', '不稳定']) if kind == 'mental' else g.pick([120, 155])
                    fus.append(dup)
                if g.chance(0.06):  # next export repeats the date with other values: it replaces the row
                    dup = list(row)
                    if kind == 'mental':
                        dup[3] = g.pick(['稳定', '不稳定'])
                    else:
                        dup[3], dup[4] = g.pick(BP)
                        if kind == 'diabetes':
                            dup[5] = g.pick(FBG)
                    dup[2] = g.pick(['门诊', '电话'])
                    fus2.append(dup)
            if fdates and g.chance(0.05):  # the next export adds a follow-up
                nd = add_days(fdates[-1], 1)
                if nd <= CUTOFF and nd not in fdates:
                    fus2.append([pid, nd, '门诊', '稳定', ''] if kind == 'mental' else
                                [pid, nd, '门诊', 130, 80] + ([6.0] if kind == 'diabetes' else []) + [''])
        return pats, fus, fus2

    ph = ['档案编号', '姓名', '性别', '出生日期', '所属村', '确诊日期', '纳入管理日期', '管理状态', '终止管理日期', '责任医生']
    for prefix, kind, pname, fname, preg, freg, fh in (
        ('H', 'hypertension', '高血压患者管理名册.csv', '高血压患者随访记录', 'hypertension_patients', 'hypertension_followups',
         ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压', '随访医生']),
        ('T', 'diabetes', '2型糖尿病患者管理名册.csv', '2型糖尿病患者随访记录', 'diabetes_patients', 'diabetes_followups',
         ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压', '空腹血糖', '随访医生']),
        ('S', 'mental', '严重精神障碍患者管理名册.csv', '严重精神障碍患者随访记录', 'mental_patients', 'mental_followups',
         ['档案编号', '随访日期', '随访方式', '病情', '随访医生']),
    ):
        pats, fus, fus2 = patients(prefix, kind)
        emit(pname, preg, ph + (['诊断'] if kind == 'mental' else []), pats)
        emit(fname + '.csv', freg, fh, fus)
        if fus2:
            emit(fname + '（次月导出）.csv', freg, fh, fus2)

    # ---- infectious disease report cards ------------------------------------------------------------
    cards = []
    CAT = [('甲类', '霍乱'), ('甲类', '鼠疫'), ('乙类按甲类管理', '肺炭疽'), ('乙类按甲类管理', '传染性非典型肺炎'),
           ('乙类', '肺结核'), ('乙类', '病毒性肝炎'), ('乙类', '肺炭疽'), ('丙类', '流行性感冒'), ('丙类', '手足口病'), ('', '其他感染性腹泻病')]
    for i in range(90):
        if g.chance(0.4):
            day = min(g.boundary(ENDS + STARTS, (0, -1)), D('2026-03-29'))
            diag = dt.datetime.combine(day, dt.time(g.pick([0, 8, 23]), g.pick([0, 30, 59])))
        else:
            day = g.rand_date('2024-10-01', D('2026-03-29'))
            diag = dt.datetime.combine(day, dt.time(g.r.randint(0, 23), g.r.randint(0, 59)))
        mins = g.pick([0, 30, 119, 120, 121, 600, 1439, 1440, 1441, 3000, None, -5, 'sec'])
        if mins == 'sec':
            rep = diag + dt.timedelta(minutes=g.pick([120, 1440]), seconds=30)
        else:
            rep = None if mins is None else diag + dt.timedelta(minutes=mins)
        if rep and rep.date() > CUTOFF:
            rep = None
        cat, dis = g.pick(CAT)
        cards.append([f'K{i:05d}', dis, cat, diag.date() if (diag.hour, diag.minute) == (0, 0) and g.chance(0.5) else diag, rep,
                      g.pick(['是', '否', ''], [7, 2, 1]), g.village()])
    emit('传染病报告卡.csv', 'infectious_reports', ['卡片编号', '疾病名称', '传染病类别', '诊断时间', '报告时间', '是否网络直报', '所属村'], cards)

    # ---- health education ---------------------------------------------------------------------------
    he = []
    for i in range(60):
        day = g.boundary(ENDS + STARTS, (0, -1, 1)) if g.chance(0.4) else g.rand_date('2024-10-01', CUTOFF)
        if day > CUTOFF:
            day = CUTOFF
        t = g.pick(['讲座', '咨询', '宣传栏', '发放资料', '播放音像'])
        he.append([day, t, f'主题{i}', g.r.randint(5, 80), g.r.randint(10, 500) if t == '发放资料' and g.chance(0.85) else None, g.village()])
    emit('健康教育活动记录.csv', 'health_education', ['活动日期', '活动类型', '主题', '参与人数', '发放数量', '所属村'], he)

    with open(os.path.join(out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump({'seed': seed, 'files': manifest}, f, ensure_ascii=False, indent=1)
    return manifest


if __name__ == '__main__':
    generate(int(sys.argv[1]), sys.argv[2])
