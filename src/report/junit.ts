import type { Report, RuleResult } from '../engine/types.js';

/** Escape text for XML and drop characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testcase(r: RuleResult): string {
  const open = `    <testcase classname="${xmlEscape(r.domain)}" name="${xmlEscape(r.id)}">`;
  if (r.status === 'fail') {
    const details = r.violations
      .map((v) => `[${v.ignoredBy ? `ignored by ${v.ignoredBy}, ` : ''}${v.severity}] ${v.message}${v.evidence.file ? ` (${v.evidence.file}${v.evidence.line ? `:${v.evidence.line}` : ''})` : ''}`)
      .concat(`fix: ${r.remediation}`)
      .join('\n');
    return `${open}\n      <failure type="${r.severity}" message="${xmlEscape(r.message)}">${xmlEscape(details)}</failure>\n    </testcase>`;
  }
  if (r.status === 'pass') return `${open}</testcase>`;
  const why =
    r.status !== 'waived'
      ? `${r.status}: ${r.message}`
      : r.waiver
        ? `waived until ${r.waiver.expires}: ${r.waiver.reason}`
        : `ignored by ${r.ignored!.join(', ')}: ${r.violations.map((v) => v.message).join(' ')}`;
  return `${open}\n      <skipped message="${xmlEscape(why)}"/>\n    </testcase>`;
}

/**
 * JUnit XML: one test suite per domain, one test case per rule. Failed rules
 * are failures; waived, not applicable and skipped rules are skipped. No time
 * attributes, so two runs on the same node give the same document.
 */
export function formatJunit(report: Report): string {
  const domains = [...new Set(report.results.map((r) => r.domain))];
  const count = (rs: RuleResult[], pred: (r: RuleResult) => boolean): number => rs.filter(pred).length;
  const suites = domains.map((domain) => {
    const rs = report.results.filter((r) => r.domain === domain);
    const failures = count(rs, (r) => r.status === 'fail');
    const skipped = count(rs, (r) => r.status !== 'fail' && r.status !== 'pass');
    return [
      `  <testsuite name="${xmlEscape(domain)}" tests="${rs.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...rs.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const all = report.results;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(report.tool.name)}" tests="${all.length}" failures="${count(all, (r) => r.status === 'fail')}" errors="0" skipped="${count(all, (r) => r.status !== 'fail' && r.status !== 'pass')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
