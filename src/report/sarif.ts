import type { Report, RuleResult } from '../engine/types.js';
import type { Severity } from '../rules/types.js';

/** SARIF has no "info" level; its "note" is the nearest. */
const levelOf = (s: Severity): 'error' | 'warning' | 'note' => (s === 'info' ? 'note' : s);

/** A file URI for the node root, ending with a slash, for SARIF's uriBaseId. */
function rootUri(root: string): string {
  const withSlash = root.endsWith('/') ? root : `${root}/`;
  return `file://${encodeURI(withSlash)}`;
}

function locations(v: RuleResult['violations'][number]): object[] {
  const file = v.evidence.file;
  if (!file) return [];
  const region = v.evidence.line ? { region: { startLine: v.evidence.line, ...(v.evidence.column ? { startColumn: v.evidence.column } : {}) } } : {};
  return [{ physicalLocation: { artifactLocation: { uri: encodeURI(file.replace(/^\//, '')), uriBaseId: 'NODEROOT' }, ...region } }];
}

/**
 * SARIF 2.1.0: the whole catalogue as the driver's rules, one result per
 * violation of a failed or waived rule; waived findings carry an accepted
 * external suppression with the waiver's reason.
 */
export function formatSarif(report: Report): string {
  const rules = report.results.map((r) => ({
    id: r.id,
    name: r.id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.title },
    help: { text: r.remediation },
    ...(r.references[0] ? { helpUri: r.references[0] } : {}),
    defaultConfiguration: { level: levelOf(r.severity) },
    properties: { tags: [r.domain, r.mode], ...(r.aliases.length ? { kubeadmAliases: r.aliases } : {}) },
  }));
  const results = report.results.flatMap((r, ruleIndex) => {
    if (r.status !== 'fail' && r.status !== 'waived') return [];
    return r.violations.map((v) => ({
      ruleId: r.id,
      ruleIndex,
      level: levelOf(v.severity),
      message: { text: v.message },
      locations: locations(v),
      ...(v.ignoredBy
        ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `ignored by ${v.ignoredBy}` }] }
        : r.status === 'waived'
          ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${r.waiver!.reason} (until ${r.waiver!.expires})` }] }
          : {}),
    }));
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        originalUriBaseIds: { NODEROOT: { uri: rootUri(report.node.root) } },
        results,
        properties: { ready: report.summary.ready, checklist: report.checklist },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
