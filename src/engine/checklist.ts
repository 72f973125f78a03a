import type { ErrorObject, ValidateFunction } from 'ajv';
import { defaultChecklistSha256 } from '../generated/validators.js';
import { load as loadChecklistValidator } from '../lazy/checklist-validator.js';
import { DEFAULT_CHECKLIST, DEFAULT_CHECKLIST_SOURCE } from '../checklist/defaults.js';
import { kubernetesMinor, NEWEST_KNOWN_MINOR, OLDEST_KNOWN_MINOR } from '../checklist/targets.js';
import type { Checklist, LoadedChecklist } from '../checklist/types.js';
import { PreflightError } from '../errors.js';
import { parseCidr } from '../parsers/ip.js';
import { suggest } from '../parsers/suggest.js';
import { MAX_YAML_DEPTH, MAX_YAML_LENGTH, parseYamlDocument, positionAt, yamlToData, type ParseError, type YamlDocument } from '../parsers/yaml.js';
import { readSimpleYaml } from '../parsers/yaml-fast.js';
import type { ModelOptions } from '../model/build.js';
import { parsePointer } from '../model/pointer.js';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { kubeadmName } from '../model/kubeadm.js';
import { acceptedNames } from './ignore.js';
import { compileCustomRules, customRule, type RuleProblem } from './custom-rules.js';
import { siteIds, siteInputs, siteProblems, siteRules } from './site-checks.js';

/** A loaded checklist, ready for {@link evaluate}: defaults filled in, custom rules compiled. */
export interface PreparedChecklist extends LoadedChecklist {
  /** The checklist's custom rules and site checks as rules. */
  customRules: Rule[];
  /** Run-time compiled validators of the custom rules, keyed by id. */
  customValidators: Map<string, ValidateFunction>;
  /** Top-level keys the checklist set itself (empty for the embedded default). */
  explicit: ReadonlySet<string>;
  /**
   * How to collect and model a node for this checklist: its containerd
   * version, the units its custom rules target, what its site checks read.
   * Pass it to collectSnapshot() and buildModel().
   */
  modelOptions: ModelOptions;
}

/** Options for {@link loadChecklist}. */
export interface LoadChecklistOptions {
  /** What to call the input in reports and error messages (a file path). */
  source?: string;
}

/** SHA-256 of a checklist's text; crypto is loaded only for checklist files. */
async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Load a checklist from YAML or JSON text, or from an object, validate it
 * against `schemas/checklist.schema.json` and the rule catalogue, fill in the
 * defaults, and compile its custom rules. With no input, the embedded default.
 *
 * @throws PreflightError `checklist-invalid` with one line per problem.
 */
export async function loadChecklist(input?: string | object, options: LoadChecklistOptions = {}): Promise<PreparedChecklist> {
  if (input === undefined) {
    return prepare(structuredClone(DEFAULT_CHECKLIST), DEFAULT_CHECKLIST_SOURCE, defaultChecklistSha256, new Set());
  }
  const source = options.source ?? (typeof input === 'string' ? 'checklist' : 'checklist object');
  let data: unknown = input;
  let yaml: YamlDocument | undefined;
  const parse = (text: string): void => {
    const parsed = parseYamlDocument(text);
    if (!parsed.ok) throw syntaxError(source, parsed.error);
    const js = yamlToData(parsed.value);
    if (!js.ok) throw syntaxError(source, js.error);
    yaml = parsed.value;
    data = js.value;
  };
  // A checklist of many site checks takes the yaml package longer than the whole check of a node: plain JSON and
  // block YAML are read without it, and the yaml package reads the rest, and gives positions when there are problems.
  const quick = typeof input === 'string' && input.length <= MAX_YAML_LENGTH ? readSimpleYaml(input, MAX_YAML_DEPTH) : undefined;
  if (quick) data = quick.value;
  else if (typeof input === 'string') parse(input);
  let { problems, validators } = checklistProblems(data, source, yaml);
  if (problems.length > 0 && quick) {
    parse(input as string);
    ({ problems, validators } = checklistProblems(data, source, yaml));
  }
  if (problems.length > 0) {
    throw new PreflightError('checklist-invalid', `${source} is not a valid checklist`, { problems });
  }
  const checklist = withDefaults(data as Partial<Checklist>);
  return prepare(checklist, source, await sha256(typeof input === 'string' ? input : JSON.stringify(input)), new Set(Object.keys(data as object)), validators);
}

/** Every problem of a checklist's data, located in its YAML when there is a document; and its compiled custom rules. */
function checklistProblems(data: unknown, source: string, yaml: YamlDocument | undefined): { problems: string[]; validators: Map<string, ValidateFunction> } {
  const problems = schemaProblems(data, source, yaml);
  if (problems.length > 0) return { problems, validators: new Map() };
  const compiled = compileCustomRules((data as Partial<Checklist>).rules ?? []);
  problems.push(...semanticProblems(data as Partial<Checklist>, source, yaml, [...compiled.problems, ...siteProblems((data as Partial<Checklist>).site)]));
  return { problems, validators: compiled.validators };
}

function syntaxError(source: string, e: ParseError): PreflightError {
  const at = e.line ? `:${e.line}:${e.column}` : '';
  return new PreflightError('checklist-invalid', `${source} is not valid YAML or JSON`, { problems: [`${source}${at}: ${e.message}`] });
}

function prepare(
  checklist: Checklist,
  source: string,
  digest: string,
  explicit: ReadonlySet<string>,
  customValidators = new Map<string, ValidateFunction>(),
): PreparedChecklist {
  const customRules = [...checklist.rules.map(customRule), ...siteRules(checklist.site, source)];
  return { checklist, source, sha256: digest, customRules, customValidators, explicit, modelOptions: modelOptionsOf(checklist) };
}

/** What collecting and modelling a node needs from a checklist. */
function modelOptionsOf(checklist: Checklist): ModelOptions {
  // A custom rule on /systemd/units/NAME needs that unit read and resolved.
  const units = [...new Set(checklist.rules.map((r) => /^\/systemd\/units\/([^/]+)/.exec(r.target)?.[1]).filter((u) => u !== undefined))].map((u) =>
    u.replaceAll('~1', '/').replaceAll('~0', '~'),
  );
  const site = siteInputs(checklist.site);
  return {
    ...(checklist.containerdVersion !== undefined ? { containerdVersion: checklist.containerdVersion } : {}),
    ...(units.length > 0 ? { units } : {}),
    ...(site ? { site } : {}),
  };
}

/** Fill in every key the checklist leaves out from the embedded default. */
function withDefaults(data: Partial<Checklist>): Checklist {
  const d = structuredClone(DEFAULT_CHECKLIST) as Checklist;
  return {
    ...d,
    ...data,
    cluster: { ...d.cluster, ...data.cluster },
    proxy: { ...d.proxy, ...data.proxy },
    registries: { ...d.registries, ...data.registries },
    systemd: { allowedDropIns: { ...d.systemd.allowedDropIns, ...data.systemd?.allowedDropIns } },
    host: { ...d.host, ...data.host },
  };
}

/** A key path for people: waivers[0].expires. */
function displayPath(tokens: readonly string[]): string {
  return tokens.reduce((acc, t) => (/^[0-9]+$/.test(t) ? `${acc}[${t}]` : acc ? `${acc}.${t}` : t), '');
}

/** Words for the patterns of the checklist schema. */
export const PATTERN_WORDS: Record<string, string> = {
  '^v?1\\.[0-9]{1,3}(\\.[0-9]+)?$': 'a Kubernetes version such as "1.36"',
  '^v?[12]\\.[0-9]{1,3}(\\.[0-9]+)?$': 'a containerd version such as "2.1"',
  '^(unix://)?/': 'an absolute socket path or a unix:// URL',
  '^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$': 'a lowercase rule id such as "acme/no-debug-flags"',
  '^([a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*|[A-Za-z][A-Za-z0-9_.-]*)$': 'a rule id such as "host/swap-off" or a kubeadm check name such as "Swap"',
  '^(/[^/]*)*$': 'a JSON Pointer such as "/containerd/sandboxImage"',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'a date written YYYY-MM-DD',
  '^site/[a-z0-9][a-z0-9-]*$': 'a lowercase id under site/, such as "site/ca-present"',
  '^/': 'an absolute path such as "/etc/pki/site-ca.pem"',
  '^[0-7]{3,4}$': 'octal permission bits such as "0644"',
  '^[A-Za-z0-9_][A-Za-z0-9_.:/*@-]*$': 'a sysctl key such as "net.ipv4.ip_forward"',
  '^[A-Za-z0-9_-]+$': 'a kernel module name such as "br_netfilter"',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'a variable name such as "HTTPS_PROXY"',
};

function schemaAt(schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = loadChecklistValidator().checklistSchema;
  for (const t of parsePointer(schemaPath.replace(/^#/, ''))) node = (node as Record<string, unknown> | undefined)?.[t];
  return node as Record<string, unknown> | undefined;
}

/** A checklist schema error in words; exported for its tests. */
export function describeError(e: ErrorObject, value: unknown): string {
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  switch (e.keyword) {
    case 'required':
      return `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      // Every object of the checklist schema that forbids other keys lists its own.
      const known = Object.keys(schemaAt(e.schemaPath.replace(/\/additionalProperties$/, ''))!.properties as object);
      const hint = suggest(key, known);
      return `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : `; known keys: ${known.join(', ')}`}`;
    }
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}${got}`;
    case 'const':
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${got}`;
    case 'type': {
      const type = (e.params as { type: string }).type;
      // YAML reads an unquoted 1.30 as the number 1.3, and 0644 as the number 644.
      const mode = e.instancePath.endsWith('/mode');
      const hint =
        type === 'string' && typeof value === 'number'
          ? mode
            ? '; quote it ("0644"), as YAML reads an unquoted 0644 as the number 644'
            : '; quote it, as YAML reads an unquoted 1.30 as the number 1.3'
          : '';
      return `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}${got}${hint}`;
    }
    case 'pattern': {
      const pattern = (e.params as { pattern: string }).pattern;
      // A test keeps PATTERN_WORDS complete for the checklist schema.
      return `must be ${PATTERN_WORDS[pattern]!}${got}`;
    }
    case 'minLength':
      return 'must not be empty';
    case 'uniqueItems':
      return 'must not list the same value twice';
    default:
      return e.message!;
  }
}

function schemaProblems(data: unknown, source: string, yaml?: YamlDocument): string[] {
  const { validateChecklist: validateChecklistSchema } = loadChecklistValidator();
  if (validateChecklistSchema(data)) return [];
  // propertyNames reports a bad key twice: the name's own error (with propertyName), then a summary; keep the first.
  const errors = validateChecklistSchema.errors!.filter((e: ErrorObject) => e.keyword !== 'propertyNames');
  const located = errors.map((e: ErrorObject) => {
    const tokens = parsePointer(e.instancePath);
    // Point at the offending key itself for unknown and badly named keys.
    const keyName = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : e.propertyName;
    const at = keyName === undefined ? tokens : [...tokens, keyName];
    const value = e.keyword === 'required' || e.keyword === 'additionalProperties' ? undefined : keyName !== undefined ? keyName : valueAt(data, tokens);
    const shown = e.propertyName !== undefined ? [...tokens, e.propertyName] : tokens;
    return { where: position(yaml, at), text: `${displayPath(shown) || '(top level)'}: ${describeError(e, value)}` };
  });
  return sortProblems(located, source);
}

type Located = { where: { line: number; column: number } | undefined; text: string };

function position(yaml: YamlDocument | undefined, tokens: readonly string[]): Located['where'] {
  return yaml
    ? positionAt(
        yaml,
        tokens.map((t) => (/^[0-9]+$/.test(t) ? Number(t) : t)),
      )
    : undefined;
}

/** Problems in file order, each as `source:line:column: path: message`. */
function sortProblems(problems: Located[], source: string): string[] {
  return [...problems]
    .sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.column ?? 0) - (b.where?.column ?? 0))
    .map((p) => `${source}${p.where ? `:${p.where.line}:${p.where.column}` : ''}: ${p.text}`);
}

function valueAt(data: unknown, tokens: readonly string[]): unknown {
  return tokens.reduce<unknown>((node, t) => (node as Record<string, unknown> | undefined)?.[t], data);
}

function validDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function semanticProblems(data: Partial<Checklist>, source: string, yaml: YamlDocument | undefined, found: RuleProblem[]): string[] {
  const problems: Located[] = [];
  const add = (tokens: string[], message: string): void => {
    problems.push({ where: position(yaml, tokens), text: `${displayPath(tokens)}: ${message}` });
  };
  for (const p of found) add(p.tokens, p.message);
  // A newer version than this release knows is judged with the newest known targets (and the report says so).
  const version = data.kubernetesVersion;
  if (version !== undefined && !data.sandboxImage && kubernetesMinor(version) < OLDEST_KNOWN_MINOR) {
    add(
      ['kubernetesVersion'],
      `this release knows the pause image of Kubernetes 1.${OLDEST_KNOWN_MINOR} to 1.${NEWEST_KNOWN_MINOR} only; set sandboxImage for ${version}`,
    );
  }
  if (data.proxy?.policy === 'required' && !data.proxy.url) add(['proxy'], 'policy "required" needs url');
  if (data.proxy?.url && data.proxy.policy !== 'required') add(['proxy', 'url'], 'url is only used with policy "required"');
  for (const key of ['podSubnet', 'serviceSubnet'] as const) {
    const value = data.cluster?.[key];
    if (value === undefined) continue;
    const bad = value
      .split(',')
      .map((c) => c.trim())
      .filter((c) => parseCidr(c) === null);
    if (bad.length > 0) add(['cluster', key], `must be a CIDR such as 10.96.0.0/12 (got ${JSON.stringify(bad.join(','))})`);
  }
  const builtin = new Set(RULES.map((r) => r.id));
  const customIds = new Set<string>();
  const ids = [...(data.rules ?? []).map((rule, i) => ({ id: rule.id, tokens: ['rules', String(i), 'id'] })), ...siteIds(data.site)];
  for (const { id, tokens } of ids) {
    if (builtin.has(id)) add(tokens, `"${id}" is a built-in rule id; custom rules need their own`);
    else if (customIds.has(id)) add(tokens, `"${id}" is used by another custom rule`);
    customIds.add(id);
  }
  const known = new Set([...builtin, ...customIds]);
  // kubeadm check names (any supported release, any case) work wherever a rule id does.
  const accepted = (name: string): boolean =>
    known.has(name) || kubeadmName(name) !== null || RULES.some((r) => r.aliases?.some((a) => a.toLowerCase() === name.toLowerCase()));
  const unknownId = (id: string): string => {
    const hint = suggest(id, [...known, ...acceptedNames(RULES)]);
    return `unknown rule id or kubeadm check name "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
  };
  for (const id of Object.keys(data.severity ?? {})) if (!accepted(id)) add(['severity', id], unknownId(id));
  (data.waivers ?? []).forEach((w, i) => {
    if (!accepted(w.rule)) add(['waivers', String(i), 'rule'], unknownId(w.rule));
    if (!validDate(w.expires)) add(['waivers', String(i), 'expires'], `${JSON.stringify(w.expires)} is not a calendar date`);
  });
  return sortProblems(problems, source);
}
