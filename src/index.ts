/**
 * kube-preflight's library API: pure functions from collected node data to
 * findings, plus the collector that reads a node root into a snapshot.
 *
 * ```ts
 * import { collectSnapshot, buildModel, loadChecklist, evaluate, formatText } from 'kube-preflight';
 * const model = buildModel(collectSnapshot({ root: '/mnt/node' }));
 * const report = evaluate(model, await loadChecklist());
 * process.stdout.write(formatText(report));
 * ```
 *
 * @packageDocumentation
 */
export { adoptSnapshot, collectSnapshot, remainingInputs, type CollectOptions } from './collect/snapshot.js';
export { parseSnapshot, serializeSnapshot } from './snapshot/serialize.js';
export { Redactor, isRedacted, compareMarked } from './parsers/redact.js';
export { diffNodes, formatDiffText, type NodeDiff, type DiffSide, type DiffValue, type SettingDifference, type RuleDifference } from './diff/diff.js';
export { collectLive, type LiveOptions } from './collect/live/index.js';
export { buildModel, planInputs, type ModelOptions } from './model/build.js';
export { resolveUnit, type ResolveOptions } from './model/systemd.js';
export { proxyFor, type EnvironmentInput } from './model/go-proxy.js';
export { loadChecklist, type PreparedChecklist, type LoadChecklistOptions } from './engine/checklist.js';
export { evaluate, type EvaluateOptions } from './engine/evaluate.js';
export { formatText, type TextOptions } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatJunit } from './report/junit.js';
export { formatSarif } from './report/sarif.js';
export { RULES } from './rules/index.js';
export { DEFAULT_CHECKLIST } from './checklist/defaults.js';
export { deriveTargets } from './checklist/targets.js';
export { PreflightError, type ErrorCode } from './errors.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
export type { Snapshot, PathRecord, DirEntry, CommandResult, CollectionLimit } from './snapshot/types.js';
export type { NodeModel, Source, Sourced, FileInfo } from './model/types.js';
export type { LiveModel, LiveSystemd, ProbeOutcome, ContainerdFacts } from './model/types.js';
export type { SystemdModel, SystemdUnit, EnvVar, EnvOrigin, EnvironmentFileEntry, StartFailure, ConfigProblem, UnitCommand, LoginVar } from './model/types.js';
export type { Checklist, CustomRule, Waiver, Targets, LoadedChecklist } from './checklist/types.js';
export type { Rule, RuleMeta, Severity, Evidence, Violation } from './rules/types.js';
export type { Report, RuleResult, Status, Summary } from './engine/types.js';
