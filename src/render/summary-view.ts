// The summary as the template sees it: each programme's village table split into tables of up to three indicators,
// fewer when their numbers would not fit the page width (a village name may wrap down to eight characters; numbers never wrap).
import type { SummaryData, VillageTable } from '../summary/data.js';
import { cellWidth, fitsTableLine } from './document.js';

function split(t: VillageTable): VillageTable[] {
  const villageUnits = Math.min(16, Math.max(...t.rows.map((r) => cellWidth(r.village))));
  const columnUnits = (i: number) => Math.max(...t.rows.map((r) => cellWidth(r.cells[i]!)));
  const chunks: number[][] = [];
  t.columns.forEach((_c, i) => {
    const last = chunks[chunks.length - 1];
    if (last && last.length < 3 && fitsTableLine([villageUnits, ...[...last, i].map(columnUnits)])) last.push(i);
    else chunks.push([i]);
  });
  return chunks.map((cols) => ({ columns: cols.map((i) => t.columns[i]!), rows: t.rows.map((r) => ({ village: r.village, cells: cols.map((i) => r.cells[i]!) })) }));
}

/** The summary's data with every village table split to fit the printed page. */
export function fitVillageTables(data: SummaryData): SummaryData {
  return { ...data, programmes: data.programmes.map((p) => ({ ...p, villageTables: p.villageTables.flatMap(split) })) };
}
