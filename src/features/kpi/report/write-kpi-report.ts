import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locale } from '../../../i18n/i18n';
import type { KpiReader, PeriodId, ReportScope } from '../kpi.types';
import { renderKpiReport } from './kpi-report.html';

/**
 * `npm run kpi -- report --period FY2026H1 --out report.html`: reads the period from the rollups
 * and writes the self-contained HTML report. Returns the absolute path written.
 */
export async function writeKpiReport(
  reader: KpiReader,
  tenantId: string,
  periodId: PeriodId,
  scope: ReportScope,
  locale: Locale,
  outPath: string,
): Promise<string> {
  const report = await reader.periodReport(tenantId, periodId, scope);
  const target = path.resolve(outPath);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, renderKpiReport(report, locale), 'utf8');
  return target;
}
