#!/usr/bin/env python3
"""Generate registers, import them with the real gongwei binary, compute, and compare with the reference.

Usage: xcheck.py [--seeds 1,2] [--periods 2025,2025Q2] [--by village,doctor,none] [--schedules 2021,2025]
                 [--work DIR] [--gongwei bin/gongwei.js] [--max-report N]
Exit status 0 when every indicator agrees (numerator, denominator, value) for every group; 1 otherwise.
Prints one JSON line per run and a summary of disagreements.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import gen_registers  # noqa: E402
import reference  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PERIODS = ['2025', '2025Q1', '2025Q2', '2025Q3', '2025Q4', '2025-01', '2025-02', '2025-05', '2025-08',
                   '2025-11', '2025-12', '2025-01..2025-06', '2025-03..2025-10', '2024-10..2025-03', '2026', '2026Q1', '2024Q4', '2023']


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def compare(mine, theirs):
    """List of disagreements between two result lists (keyed by id + group)."""
    a = {(r['id'], r['group']): r for r in mine}
    b = {(r['id'], r['group']): r for r in theirs}
    diffs = []
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], k[1] or '')):
        ra, rb = a.get(key), b.get(key)
        if ra is None or rb is None:
            present = ra or rb
            if present['numerator'] in (0, None) and (present['value'] in (None, 0)):
                continue  # an empty group listed by one side only
            diffs.append({'id': key[0], 'group': key[1], 'reference': ra and _triple(ra), 'gongwei': rb and _triple(rb)})
            continue
        if not (same_number(ra['numerator'], rb['numerator']) and same_number(ra['denominator'], rb['denominator'])
                and same_number(ra['value'], rb['value'])):
            diffs.append({'id': key[0], 'group': key[1], 'reference': _triple(ra), 'gongwei': _triple(rb)})
    return diffs


def _triple(r):
    return [r['numerator'], r['denominator'], r['value']]


def import_registers(data_dir, db, gongwei):
    with open(os.path.join(data_dir, 'manifest.json'), encoding='utf-8') as f:
        files = [os.path.join(data_dir, e['file']) for e in json.load(f)['files']]
    p = subprocess.run(['node', gongwei, 'registers', 'import', *files, '--db', db, '--format', 'json'],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError(f'import failed ({p.returncode}): {p.stderr}\n{p.stdout[:2000]}')
    return p


def gongwei_compute(db, period, by, schedule, gongwei):
    cmd = ['node', gongwei, 'indicators', 'compute', '--db', db, '--period', period, '--format', 'json']
    if by:
        cmd += ['--by', by]
    if schedule:
        cmd += ['--schedule', schedule]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f'compute failed ({p.returncode}): {" ".join(cmd)}\n{p.stderr}')
    return json.loads(p.stdout)['results']


def check_seed(seed, periods, bys, schedules, work, gongwei, jobs=2):
    data_dir = os.path.join(work, f'seed{seed}')
    shutil.rmtree(data_dir, ignore_errors=True)
    gen_registers.generate(seed, data_dir)
    db = os.path.join(work, f'seed{seed}.sqlite')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    import_registers(data_dir, db, gongwei)
    tables = reference.load(data_dir)
    runs = [(p, by, sch) for p in periods for by in bys for sch in schedules]

    def one(run):
        period, by, sch = run
        theirs = gongwei_compute(db, period, by, sch, gongwei)
        mine = reference.compute(tables, period, by, sch)
        return run, compare(mine, theirs), len(theirs)

    with ThreadPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(one, runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='1')
    ap.add_argument('--periods', default=','.join(DEFAULT_PERIODS))
    ap.add_argument('--by', default='village')
    ap.add_argument('--schedules', default='2021')
    ap.add_argument('--work', default=None)
    ap.add_argument('--gongwei', default=os.path.join(ROOT, 'bin', 'gongwei.js'))
    ap.add_argument('--max-report', type=int, default=40)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--json', action='store_true', help='print a JSON summary only')
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix='gw-xcheck-')
    os.makedirs(work, exist_ok=True)
    bys = [None if b == 'none' else b for b in args.by.split(',')]
    total, bad, compared = 0, [], 0
    for seed in [int(s) for s in args.seeds.split(',')]:
        for (period, by, sch), diffs, n in check_seed(seed, args.periods.split(','), bys, args.schedules.split(','), work,
                                                      args.gongwei, args.jobs):
            total += 1
            compared += n
            for d in diffs:
                bad.append({'seed': seed, 'period': period, 'by': by, 'schedule': sch, **d})
    if args.json:
        print(json.dumps({'runs': total, 'results': compared, 'disagreements': bad}, ensure_ascii=False))
    else:
        print(f'{total} runs, {compared} results compared, {len(bad)} disagreements')
        by_id = {}
        for d in bad:
            by_id.setdefault(d['id'], []).append(d)
        for ind, ds in sorted(by_id.items()):
            print(f'  {ind}: {len(ds)}')
        for d in bad[:args.max_report]:
            print(json.dumps(d, ensure_ascii=False))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
