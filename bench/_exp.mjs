import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
const db = new Database('/work/wt/fup/bench/data/county.sqlite', { readonly: true });
const t = (label, f) => { const t0 = performance.now(); const r = f(); console.log(label, Math.round(performance.now() - t0), 'ms', r); };
const S='2025-01-01', E='2025-12-31';
const managed = (p) => `(${p}.enrolled_date IS NOT NULL AND substr(${p}.enrolled_date, 1, 10) <= :end AND CASE WHEN ${p}.ended_date IS NOT NULL THEN substr(${p}.ended_date, 1, 10) >= :start AND substr(${p}.ended_date, 1, 10) >= substr(${p}.enrolled_date, 1, 10) ELSE coalesce(${p}.status = '在管', 0) END)`;
t('count', () => db.prepare('select count(*) from hypertension_followups').pluck().get());
t('std sql (current)', () => db.prepare(`select village, sum(num) from (SELECT p.village, p.doctor,
      (SELECT count(*) FROM hypertension_followups f
        WHERE f.patient_id = p.patient_id
          AND f.followup_date BETWEEN max(:start, p.enrolled_date) AND min(:end, coalesce(p.ended_date, :end))
          AND coalesce(f.method, '') <> '电话') >= 1 AS num, 1 AS den
    FROM hypertension_patients p WHERE ${managed('p')}) group by village`).all({start:S,end:E}).length);
t('managed only', () => db.prepare(`select village, count(*) from hypertension_patients p WHERE ${managed('p')} group by village`).all({start:S,end:E}).length);
t('group_concat load', () => { let n = 0, len = 0; for (const r of db.prepare(`select p.rowid, p.village, p.doctor, p.enrolled_date, p.ended_date, p.status, p.birth_date, (select group_concat(f.followup_date || (coalesce(f.method,'') <> '电话') || coalesce(f.sbp,'') || '/' || coalesce(f.dbp, ''), ';') from hypertension_followups f where f.patient_id = p.patient_id) from hypertension_patients p`).raw().iterate()) { n++; len += r[7]?.length ?? 0; } return [n, len]; });
t('join load flat', () => { let n = 0; for (const r of db.prepare(`select p.rowid, f.followup_date, coalesce(f.method,'') <> '电话', f.sbp, f.dbp from hypertension_patients p join hypertension_followups f on f.patient_id = p.patient_id`).raw().iterate()) { n++; } return n; });
t('followups flat by index', () => { let n = 0; for (const r of db.prepare(`select patient_id, followup_date, coalesce(method,'') <> '电话', sbp, dbp from hypertension_followups order by patient_id`).raw().iterate()) { n++; } return n; });
t('patients flat', () => { let n = 0; for (const r of db.prepare(`select patient_id, village, doctor, enrolled_date, ended_date, status, birth_date from hypertension_patients`).raw().iterate()) { n++; } return n; });
t('std sql (current) again', () => db.prepare(`select village, sum(num) from (SELECT p.village, p.doctor,
      (SELECT count(*) FROM hypertension_followups f
        WHERE f.patient_id = p.patient_id
          AND f.followup_date BETWEEN max(:start, p.enrolled_date) AND min(:end, coalesce(p.ended_date, :end))
          AND coalesce(f.method, '') <> '电话') >= 1 AS num, 1 AS den
    FROM hypertension_patients p WHERE ${managed('p')}) group by village`).all({start:S,end:E}).length);
