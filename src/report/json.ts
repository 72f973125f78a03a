import type { Report } from '../engine/types.js';

/** The JSON report (`schemas/report.schema.json`), two-space indented, ending with a newline. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
