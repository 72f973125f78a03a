/**
 * Custom rules of a checklist: a JSON Schema (draft 2020-12) over a path of
 * the node model. Checked when the checklist loads (the target exists in the
 * model schema, the schema compiles, every pattern is a regular expression,
 * the message names known fields), each problem located in the checklist
 * file; and reported in words when it fails: the failing sub-path, its value
 * and the file and line it came from, never an object dumped whole.
 */
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { CustomRule } from '../checklist/types.js';
import { load as loadAjv } from '../lazy/ajv.js';
import { getAt, parsePointer, valuesAlong } from '../model/pointer.js';
import type { NodeModel } from '../model/types.js';
import { redactText } from '../parsers/redact.js';
import { suggest } from '../parsers/suggest.js';
import type { Evidence, Rule, RuleContext, Violation } from '../rules/types.js';
import { locate } from './locate.js';
import { checkModelPointer, isSourced } from './model-paths.js';

/**
 * ajv options for the schemas checklist authors write. ajv's strict mode
 * rejects some valid JSON Schema (`required` without `type: object`, a
 * `prefixItems` without `minItems`, `required` naming a key `properties`
 * does not define), which no author should have to know: those checks are off
 * here, and only here (the project's own schemas keep AJV_OPTIONS). Unknown
 * keywords stay errors: `patern` would otherwise make a rule pass silently.
 */
export const CUSTOM_RULE_AJV_OPTIONS: Options = Object.freeze({
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: true,
  allowUnionTypes: true,
  // The error's own schema and parent schema, to word `not` failures.
  verbose: true,
});

/** The dialect of custom rules. */
export const CUSTOM_RULE_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** The placeholders a custom rule's `message` may use. */
export const MESSAGE_FIELDS = ['value', 'file', 'line', 'source', 'path'] as const;

/** A problem with a custom rule, at a key path of the checklist (for its line). */
export interface RuleProblem {
  tokens: string[];
  message: string;
}

/** JSON Schema type names, for a misspelt `type`. */
const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];
/** Keywords that make a schema test a single value (so a `Sourced` target should end in /value). */
const SCALAR_KEYWORDS = [
  'const',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'format',
  'multipleOf',
];

/** Where the first key named `key` (with `value`, when given) is in a schema, depth first. */
function findKey(node: unknown, key: string, value?: unknown, path: string[] = []): string[] | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  for (const [k, v] of Object.entries(node)) {
    if (k === key && (value === undefined || v === value)) return [...path, k];
    const below = findKey(v, key, value, [...path, k]);
    if (below) return below;
  }
  return undefined;
}

/** Every regular expression of a schema (`pattern` values, `patternProperties` keys), with where it is. */
function patternsOf(node: unknown, path: string[] = []): { pattern: string; tokens: string[] }[] {
  if (node === null || typeof node !== 'object') return [];
  const out: { pattern: string; tokens: string[] }[] = [];
  for (const [k, v] of Object.entries(node) as [string, unknown][]) {
    if (k === 'pattern' && typeof v === 'string') out.push({ pattern: v, tokens: [...path, k] });
    if (k === 'patternProperties' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const p of Object.keys(v)) out.push({ pattern: p, tokens: [...path, k, p] });
    }
    out.push(...patternsOf(v, [...path, k]));
  }
  return out;
}

const compiles = (pattern: string, flags: string): boolean => {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
};

/** A YAML single-quoted string: what a checklist author would write. */
const yamlQuoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The regular expression's error, or undefined when it compiles. The fix
 * offered escapes the one character that breaks it (`(` in `ntp1(example`),
 * or, failing that, every special character.
 */
export function regexError(pattern: string, flags: string): string | undefined {
  let message: string;
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (err) {
    message = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
  const single = [...pattern]
    .map((c, i) => ('()[]{}*+?|\\'.includes(c) ? `${pattern.slice(0, i)}\\${pattern.slice(i)}` : undefined))
    .find((p) => p !== undefined && compiles(p, flags));
  const fix = single ?? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `${yamlQuoted(pattern)} is not a regular expression (${message}); to match the text as written, use ${yamlQuoted(fix)}`;
}

/** The 2020-12 meta-schema's complaint about a schema, in words, at its place. */
function metaProblem(errors: ErrorObject[], schema: unknown): { tokens: string[]; message: string } {
  // One mistake gives several errors at one place (enum, type, anyOf): the first says it best.
  const e = errors[0]!;
  const tokens = parsePointer(e.instancePath);
  const value = getAt(schema, e.instancePath);
  if (tokens.at(-1) === 'type') {
    // type: [object, nul] is refused as a whole; name the entry that is wrong.
    const bad = Array.isArray(value) ? value.findIndex((v) => !TYPES.includes(v as string)) : -1;
    const word = bad >= 0 ? (value as unknown[])[bad] : value;
    const hint = typeof word === 'string' ? suggest(word, TYPES) : undefined;
    return {
      tokens: bad >= 0 ? [...tokens, String(bad)] : tokens,
      message: `${JSON.stringify(word)} is not a JSON Schema type${hint ? ` (did you mean "${hint}"?)` : ''}; types are ${TYPES.join(', ')}`,
    };
  }
  // Every keyword of the meta-schema that can fail is about a value written in the schema.
  return { tokens, message: `${e.message!} (got ${JSON.stringify(value)})` };
}

/** Words for what ajv refused when compiling a schema, at its place in the schema. */
function compileProblem(message: string, schema: Record<string, unknown>, keywords: readonly string[]): { tokens: string[]; message: string } {
  const unknown = /unknown keyword: "([^"]*)"/.exec(message);
  if (unknown) {
    const word = unknown[1]!;
    const hint = suggest(word, keywords);
    // ajv names a keyword it found in the schema, so it is there to be found.
    return {
      tokens: findKey(schema, word)!,
      message: `unknown JSON Schema keyword "${word}"${hint ? ` (did you mean "${hint}"?)` : '; it would be ignored, so the rule would check less than it says'}`,
    };
  }
  const format = /unknown format "([^"]*)" ignored in schema at path "#([^"]*)"/.exec(message);
  if (format) {
    return { tokens: [...parsePointer(format[2]!), 'format'], message: `format "${format[1]!}" is not checked by kube-preflight; write a pattern instead` };
  }
  const ref = /can't resolve reference (\S+)/.exec(message);
  if (ref) return { tokens: findKey(schema, '$ref', ref[1])!, message: `$ref ${ref[1]!} points at nothing in this schema (define it under $defs)` };
  return { tokens: [], message };
}

/**
 * Check and compile a checklist's custom rules. Returns the validators of the
 * rules that compiled, and every problem with its place in the checklist.
 */
export function compileCustomRules(rules: readonly CustomRule[]): { validators: Map<string, ValidateFunction>; problems: RuleProblem[] } {
  const validators = new Map<string, ValidateFunction>();
  const problems: RuleProblem[] = [];
  if (rules.length === 0) return { validators, problems };
  // ajv's compiler is only loaded when a checklist brings custom rules.
  const Ajv = loadAjv();
  const ajv = new Ajv(CUSTOM_RULE_AJV_OPTIONS);
  const keywords = Object.keys((ajv as unknown as { RULES: { keywords: object } }).RULES.keywords);
  rules.forEach((rule, i) => {
    const at = (tokens: string[], message: string): void => void problems.push({ tokens: ['rules', String(i), ...tokens], message });
    const target = checkModelPointer(rule.target);
    if (!target.ok) {
      const suggestion = target.suggestion && (checkModelPointer(target.suggestion) as { schema?: Record<string, unknown> }).schema;
      const fixed = target.suggestion && suggestion && isSourced(suggestion) && scalarSchema(rule.schema) ? `${target.suggestion}/value` : target.suggestion;
      at(['target'], `${target.problem}${fixed ? ` (did you mean "${fixed}"?)` : ''}; docs/node-model.md lists every path`);
    } else if (isSourced(target.schema) && scalarSchema(rule.schema)) {
      at(['target'], `${rule.target} is a value with its source ({ value, source }), and the schema tests a single value; target ${rule.target}/value`);
    }
    for (const name of [...(rule.message ?? '').matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!)) {
      if ((MESSAGE_FIELDS as readonly string[]).includes(name)) continue;
      const hint = suggest(name, MESSAGE_FIELDS);
      at(
        ['message'],
        `unknown placeholder {${name}}${hint ? ` (did you mean {${hint}}?)` : ''}; a message may use ${MESSAGE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
      );
    }
    const schema = rule.schema;
    if (schema.$schema !== undefined && schema.$schema !== CUSTOM_RULE_DIALECT) {
      return at(['schema', '$schema'], `custom rules are JSON Schema draft 2020-12; remove $schema or set it to ${CUSTOM_RULE_DIALECT}`);
    }
    const badPattern = patternsOf(schema)
      .map((p) => ({ ...p, error: regexError(p.pattern, 'u') }))
      .find((p) => p.error);
    if (badPattern) return at(['schema', ...badPattern.tokens], badPattern.error!);
    if (!ajv.validateSchema(schema)) {
      const p = metaProblem(ajv.errors!, schema);
      return at(['schema', ...p.tokens], p.message);
    }
    try {
      validators.set(rule.id, withPrunedErrors(ajv.compile(schema)));
    } catch (err) {
      const p = compileProblem((err as Error).message, schema, keywords);
      at(['schema', ...p.tokens], p.message);
    }
  });
  return { validators, problems };
}

/** Whether a schema tests one value rather than an object (so its target should be a value, not `{ value, source }`). */
function scalarSchema(schema: Record<string, unknown>): boolean {
  const type = schema.type;
  if (type !== undefined) return type !== 'object';
  return SCALAR_KEYWORDS.some((k) => k in schema);
}

/**
 * A validator whose errors are the ones worth a sentence: when an `anyOf` or
 * `oneOf` fails, the failures of its branches are left out (the sentence is
 * that no alternative matched).
 */
function withPrunedErrors(validate: ValidateFunction): ValidateFunction {
  const run = ((value: unknown) => {
    const ok = validate(value);
    run.errors = ok ? null : prune(validate.errors!);
    return ok;
  }) as ValidateFunction;
  return run;
}

function prune(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !alternatives.some((a) => e.schemaPath.startsWith(a)));
}

/** A custom rule as a rule: its schema is validated by the engine, its failures worded by {@link describeFailure}. */
export function customRule(custom: CustomRule): Rule {
  return {
    id: custom.id,
    title: custom.title,
    severity: custom.severity,
    mode: 'static',
    rationale: custom.rationale ?? "A rule of this organization's checklist.",
    remediation: custom.remediation,
    references: custom.references ?? [],
    target: custom.target,
    schema: custom.schema,
    describe: (error, _value, ctx) => describeFailure(custom, error, ctx),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value's own value: `Sourced` and environment variables wrap it with where it came from. */
function inner(v: unknown): unknown {
  return isObject(v) && 'value' in v && ('source' in v || 'file' in v) ? v.value : v;
}

/** A value in a sentence: scalars as JSON, objects and long lists by their shape. Strings are redacted. */
function show(v: unknown): string {
  const x = inner(v);
  if (typeof x === 'string') return JSON.stringify(redactText(x));
  if (Array.isArray(x))
    return x.length <= 3 && x.every((e) => !isObject(inner(e)) && !Array.isArray(inner(e))) ? `[${x.map(show).join(', ')}]` : `a list of ${x.length} entries`;
  if (isObject(x)) {
    const keys = Object.keys(x);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}`;
  }
  return JSON.stringify(x);
}

/** Where a model value came from: the deepest file and line on the way to it (as reports locate it), or the default it is. */
function origin(model: NodeModel, pointer: string): { evidence: Evidence; words: string | undefined } {
  const evidence = locate(model, pointer);
  if (evidence.file) return { evidence, words: `${evidence.file}${evidence.line ? `:${evidence.line}` : ''}` };
  const defaults = valuesAlong(model, pointer).map((n) => (isObject(n) && isObject(n.source) ? n.source.default : undefined));
  return { evidence, words: defaults.filter((d): d is string => typeof d === 'string').at(-1) };
}

/** A subject for a sentence: units and variables by name, anything else by its model path. */
export function label(pointer: string): string {
  const env = /^\/systemd\/units\/([^/]+)\/environment(?:List)?(?:\/([^/]+)(?:\/value)?)?$/.exec(pointer);
  if (env) return env[2] ? `${unescape(env[1]!)}'s ${unescape(env[2])}` : unescape(env[1]!);
  const unit = /^\/systemd\/units\/([^/]+)$/.exec(pointer);
  if (unit) return unescape(unit[1]!);
  return pointer;
}

const unescape = (token: string): string => token.replaceAll('~1', '/').replaceAll('~0', '~');
const escape = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');

/** Whether the value at a pointer is an environment (variables as keys): its keys are "set". */
const isEnvironment = (pointer: string): boolean => /\/(environment|environmentList|variables|defaultEnvironment)$/.test(pointer);

/** What the rule wanted, from ajv's words ("must be >= 10" → "it to be >= 10"). */
function wanted(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'const':
      return show(p.allowedValue);
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'pattern':
      return `a value matching ${JSON.stringify(p.pattern)}`;
    case 'type':
      return `${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type).replace(',', ' or ')}`;
    case 'anyOf':
      return 'a value matching one of its alternatives (anyOf)';
    default:
      return `it ${error.message!.replace(/^must NOT (\w+)/, 'not to $1').replace(/^must /, 'to ')}`;
  }
}

/**
 * One failure of a custom rule in words: what (the failing sub-path, by name
 * where it has one), its value, where it came from (file:line), and what the
 * rule wanted; or the rule's own `message` with those filled in.
 */
export function describeFailure(rule: CustomRule, error: ErrorObject, ctx: RuleContext): Violation {
  const { model } = ctx;
  let pointer = `${rule.target}${error.instancePath}`;
  const value = getAt(model, pointer);
  let sentence: string;
  const keys = (list: string[]): string => list.join(' and ');
  const named = (key: string): string => `${pointer}/${escape(key)}`;
  if (error.keyword === 'required' || error.keyword === 'dependentRequired') {
    const key = (error.params as { missingProperty: string }).missingProperty;
    sentence = `${label(pointer)} has no ${key}${isEnvironment(pointer) ? ' set' : ''}; the rule requires it`;
    pointer = named(key);
  } else if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    pointer = named(key);
    const { words } = origin(model, pointer);
    sentence = `${label(pointer.slice(0, pointer.lastIndexOf('/')))} has ${key}${words ? ` (from ${words})` : ''}, which the rule does not allow`;
  } else if (error.keyword === 'not' && isObject(value) && forbiddenKeys(error.schema).some((k) => k in value)) {
    // not: { required: [...] } (or anyOf of them): the keys that are there are what the rule forbids.
    const present = forbiddenKeys(error.schema).filter((k) => k in value);
    const subject = label(pointer);
    const wheres = present.map((k) => origin(model, named(k)).words);
    pointer = named(present[0]!);
    const from = wheres.filter((w) => w !== undefined);
    sentence = `${subject} has ${keys(present)} set${from.length > 0 ? ` (from ${from.join(', ')})` : ''}; the rule forbids ${present.length > 1 ? 'them' : 'it'}`;
  } else {
    const { words } = origin(model, pointer);
    const from = words ? ` (from ${words})` : '';
    sentence =
      error.keyword === 'not'
        ? `${label(pointer)} is ${show(value)}${from}; the rule forbids that value`
        : `${label(pointer)} is ${show(value)}${from}; the rule expects ${wanted(error)}`;
  }
  const observed = getAt(model, pointer);
  const { evidence, words } = origin(model, pointer);
  const shown = inner(observed);
  evidence.path = pointer;
  evidence.observed = typeof shown === 'string' ? redactText(shown) : isObject(shown) || Array.isArray(shown) ? show(shown) : shown;
  if (error.keyword === 'const') evidence.expected = (error.params as { allowedValue: unknown }).allowedValue;
  if (error.keyword === 'enum') evidence.expected = (error.params as { allowedValues: unknown }).allowedValues;
  if (rule.message === undefined) return { message: sentence, evidence };
  const fields: Record<(typeof MESSAGE_FIELDS)[number], string> = {
    value: shown === undefined ? '(unset)' : typeof shown === 'string' ? redactText(shown) : show(shown),
    file: evidence.file ?? '(no file)',
    line: evidence.line === undefined ? '?' : String(evidence.line),
    source: words ?? 'no file',
    path: pointer,
  };
  return { message: rule.message.replace(/\{(value|file|line|source|path)\}/g, (_m, f: keyof typeof fields) => fields[f]), evidence };
}

/** The keys a `not` schema forbids: its `required`, or the `required` of each of its `anyOf` branches. */
function forbiddenKeys(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const own = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const branches = Array.isArray(schema.anyOf) ? (schema.anyOf as unknown[]).flatMap(forbiddenKeys) : [];
  return [...own, ...branches];
}
