#!/usr/bin/env python3
"""How often each boundary indicators.md names occurs in a generated data set (so the reference check cannot
silently lose one when the generator changes). Usage: census.py <data_dir>  → JSON {case: count}."""
import csv
import datetime as dt
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_registers  # noqa: E402
import reference as R  # noqa: E402

ENDS = [dt.date.fromisoformat(e) for e in gen_registers.ENDS]
DAY = dt.timedelta(days=1)


def raw_duplicate_keys(data_dir, register):
    """Rows inside one file whose natural key repeats an earlier row of the same file."""
    with open(os.path.join(data_dir, 'manifest.json'), encoding='utf-8') as f:
        files = [e for e in json.load(f)['files'] if e['register'] == register]
    n = 0
    for e in files:
        enc = 'utf-8-sig' if e.get('encoding', 'utf-8').startswith('utf-8') else e['encoding']
        with open(os.path.join(data_dir, e['file']), encoding=enc, newline='') as f:
            rows = csv.reader(f)
            header = next(rows)
            cols = [R.COLUMNS[register][h][0] for h in header]
            seen = set()
            for raw in rows:
                row = dict(zip(cols, raw))
                key = tuple(row[k] for k in R.KEYS[register])
                n += key in seen
                seen.add(key)
    return n


def raw_rows(data_dir, register):
    """Every row of a register's files as written (before import rules drop or replace any)."""
    with open(os.path.join(data_dir, 'manifest.json'), encoding='utf-8') as f:
        files = [e for e in json.load(f)['files'] if e['register'] == register]
    for e in files:
        enc = 'utf-8-sig' if e.get('encoding', 'utf-8').startswith('utf-8') else e['encoding']
        with open(os.path.join(data_dir, e['file']), encoding=enc, newline='') as f:
            rows = csv.reader(f)
            header = next(rows)
            for raw in rows:
                yield {R.COLUMNS[register][h][0]: R.parse(cell, R.COLUMNS[register][h][1]) for h, cell in zip(header, raw)}


def census(data_dir):
    t = R.load(data_dir)
    c = {}

    def count(name, n):
        c[name] = c.get(name, 0) + int(n)

    kids = t['children']
    vac = {(v['child_id'], v['vaccine'], v['dose']): v['vaccination_date'] for v in t['vaccinations']}
    for k in kids:
        b = k['birth_date']
        count('child: 7th birthday on a period end', any(R.add_months(b, 84) == e for e in ENDS))
        count('child: due date clamped to a month end (Jan 31 + 1 month)', b.day > 28 and R.add_months(b, 1).day < b.day)
        for e in ENDS:
            # A dose given after a period end but inside the timely window of a dose due in that period.
            for (code, dose, age) in R.SCHEDULE_2021:
                due = R.add_age(b, age)
                given = vac.get((k['child_id'], code, dose))
                if given is not None and due <= e < given <= R.timely_end(b, code, dose, due) and due > e - dt.timedelta(days=31):
                    count('child: dose given after a period end, inside its timely window', 1)
        d1 = vac.get((k['child_id'], 'HepB', 1))
        for n in (0, 1, 2):
            count(f'child: HepB dose 1 on day {n}', d1 is not None and (d1 - b).days == n)
        sd = k['status_date']
        count('child: moved out on/before a period end', k['status'] == '迁出' and sd is not None and sd in ENDS)
        count('child: moved out the day after a period end', k['status'] == '迁出' and sd is not None and sd - DAY in ENDS)
        count('child: moved out without a status date', k['status'] == '迁出' and sd is None)
        count('child: empty status', k['status'] is None)
        count('child: resident since exactly E - 3 months', k['resident_since'] in [R.add_months(e, -3) for e in ENDS])
        count('child: resident since E - 3 months + 1 day', k['resident_since'] in [R.add_months(e, -3) + DAY for e in ENDS])
        count('child: certificate the day after a period end', k['certificate_date'] is not None and k['certificate_date'] - DAY in ENDS)
        visits = [v['visit_date'] for v in t['child_visits'] if v['child_id'] == k['child_id']]
        for n in (28, 29):
            count(f'child: first visit on day {n}', any((v - b).days == n for v in visits))

    per_person = {}
    for r in t['elderly_checkups']:
        per_person.setdefault(r['record_id'], []).append(r)
        count('elderly: 体检表完整 empty', r['complete'] is None)
        count('elderly: 体检表完整 否', r['complete'] is False)
        count('elderly: 65th birthday on a period end', r['birth_date'] is not None and R.add_months(r['birth_date'], 780) in ENDS)
    count('elderly: two or more checkups', sum(len(v) > 1 for v in per_person.values()))

    for disease in ('hypertension', 'diabetes', 'mental'):
        pats = {p['patient_id']: p for p in t[disease + '_patients']}
        for p in pats.values():
            en, ended = p['enrolled_date'], p['ended_date']
            count(f'{disease}: enrolled in August 2025', en is not None and (en.year, en.month) == (2025, 8))
            count(f'{disease}: ended in May 2025', ended is not None and (ended.year, ended.month) == (2025, 5))
            count(f'{disease}: ended before 2025', ended is not None and ended < dt.date(2025, 1, 1))
            count(f'{disease}: status not 在管 without ended_date', p['status'] not in ('在管', None) and ended is None)
            count(f'{disease}: empty status', p['status'] is None)
        for f in t[disease + '_followups']:
            count(f'{disease}: follow-up by 电话', f['method'] == '电话')
            count(f'{disease}: follow-up method empty', f['method'] is None)
            p = pats.get(f['patient_id'])
            if disease == 'hypertension':
                for bp in ((139, 89), (140, 89), (149, 89), (150, 90)):
                    count(f'hypertension: BP {bp[0]}/{bp[1]}', (f['sbp'], f['dbp']) == bp)
                count('hypertension: sbp missing', f['sbp'] is None)
                count('hypertension: dbp missing', f['dbp'] is None)
                if p and p['birth_date']:
                    age = R.age_on(p['birth_date'], f['followup_date'])
                    on_birthday = (R.add_months(p['birth_date'], 780) == f['followup_date'])
                    count('hypertension: 65th birthday on the follow-up date', on_birthday)
                    count('hypertension: BP 149/89 at 64', (f['sbp'], f['dbp']) == (149, 89) and age == 64)
                    count('hypertension: BP 149/89 at 65+', (f['sbp'], f['dbp']) == (149, 89) and age >= 65)
            if disease == 'diabetes':
                for v in (6.9, 7.0):
                    count(f'diabetes: fbg {v}', f['fbg'] == v)
        count(f'{disease}: same-date follow-up twice in one file', raw_duplicate_keys(data_dir, disease + '_followups'))
        count(f'{disease}: ended before enrolled (rejected on import)', sum(R.rejected_on_import(disease + '_patients', r) for r in raw_rows(data_dir, disease + '_patients')))
        if disease == 'mental':
            for f in t['mental_followups']:
                p = pats.get(f['patient_id'])
                count('mental: follow-up dated before enrolment', p is not None and p['enrolled_date'] is not None and f['followup_date'] < p['enrolled_date'])

    for m in t['maternal']:
        days = (m['booking_date'] - m['lmp']).days if m['booking_date'] and m['lmp'] else None
        count('maternal: booking 90 days after lmp', days == 90)
        count('maternal: booking 91 days after lmp', days == 91)
        count('maternal: discharge date empty', m['discharge_date'] is None)
        base = m['discharge_date'] or m['delivery_date']
        pv = m['postpartum_visit_date']
        for n in (28, 29):
            count(f'maternal: postpartum visit on day {n}', pv is not None and (pv - base).days == n)

    for r in t['infectious_reports']:
        mins = (r['reported_at'] - r['diagnosed_at']).total_seconds() / 60 if r['reported_at'] else None
        for n in (120, 121, 1440, 1441):
            count(f'infectious: reported after {n} min', mins == n)
        count('infectious: 乙类按甲类管理', r['category'] == '乙类按甲类管理')

    pop25 = {p['village']: p for p in t['population'] if p['year'] == 2025}
    villages = {r['village'] for reg in ('residents', 'children', 'maternal', 'elderly_checkups') for r in t[reg] if r['village']}
    count('population: village in registers but not in population', len(villages - set(pop25)))
    count('population: zero denominator', sum(1 for p in pop25.values() if p['elderly_65'] == 0))
    return c


if __name__ == '__main__':
    json.dump(census(sys.argv[1]), sys.stdout, ensure_ascii=False, indent=1)
