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

/** Each violation with where it was seen and its own fix (else the rule's remediation). */
function details(r: RuleResult): string {
  return r.violations
    .map((v) => {
      const at = v.evidence.file ? ` (${v.evidence.file}${v.evidence.line ? `:${v.evidence.line}` : ''})` : '';
      return `[${v.ignoredBy ? `ignored by ${v.ignoredBy}, ` : ''}${v.severity}] ${v.message}${at}\nfix: ${v.fix ?? r.remediation}`;
    })
    .join('\n');
}

/** A failed rule that makes the node not ready: an error, or a warning under --strict (as the summary counts them). */
function isBlocking(r: RuleResult, strict: boolean): boolean {
  return r.status === 'fail' && (r.severity === 'error' || (strict && r.severity === 'warning'));
}

function testcase(r: RuleResult, strict: boolean): string {
  const open = `    <testcase classname="${xmlEscape(r.domain)}" name="${xmlEscape(r.id)}">`;
  if (isBlocking(r, strict)) {
    return `${open}\n      <failure type="${r.severity}" message="${xmlEscape(r.message)}">${xmlEscape(details(r))}</failure>\n    </testcase>`;
  }
  // A finding that does not block (info, or a warning without --strict) is reported, not failed: CI stays green on a ready node.
  if (r.status === 'fail') return `${open}\n      <system-out>${xmlEscape(details(r))}</system-out>\n    </testcase>`;
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
 * JUnit XML: one test suite per domain, one test case per rule. Only rules
 * that block the join (errors, and warnings under --strict) are failures, so a
 * ready node (exit 0) gives a document without one; other failed rules (info,
 * warnings without --strict) pass with their findings in `<system-out>`.
 * Waived, not applicable and skipped rules are skipped. No time attributes, so
 * two runs on the same node give the same document.
 */
export function formatJunit(report: Report): string {
  const domains = [...new Set(report.results.map((r) => r.domain))];
  const count = (rs: RuleResult[], pred: (r: RuleResult) => boolean): number => rs.filter(pred).length;
  const strict = report.settings.strict;
  const failed = (r: RuleResult): boolean => isBlocking(r, strict);
  const suites = domains.map((domain) => {
    const rs = report.results.filter((r) => r.domain === domain);
    const failures = count(rs, failed);
    const skipped = count(rs, (r) => r.status !== 'fail' && r.status !== 'pass');
    return [
      `  <testsuite name="${xmlEscape(domain)}" tests="${rs.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...rs.map((r) => testcase(r, strict)),
      '  </testsuite>',
    ].join('\n');
  });
  const all = report.results;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(report.tool.name)}" tests="${all.length}" failures="${count(all, failed)}" errors="0" skipped="${count(all, (r) => r.status !== 'fail' && r.status !== 'pass')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
