/**
 * The redaction boundary. Everything read from a node (files, probe output,
 * snapshots made by other tools) passes through here before anything else
 * sees it; the model, reports, diffs and snapshots only ever hold markers.
 */
import { parsedToml } from '../../model/containerd/toml-cache.js';
import { loadContainerdConfig } from '../../model/containerd/load.js';
import { KUBELET_ARG_FILES, KUBELET_CONFIG, KUBELET_INSTANCE_CONFIG } from '../../model/kubelet.js';
import { buildSystemd } from '../../model/systemd.js';
import type { Redactor } from '../../parsers/redact.js';
import type { TomlValue } from '../../parsers/toml.js';
import { dirname, joinPath } from '../../snapshot/paths.js';
import type { PathRecord, Snapshot } from '../../snapshot/types.js';
import { envFileSecrets, etcEnvironmentSecrets, profileSecrets } from './env.js';
import { applySpans, type Redacted, type SecretSpan } from './span.js';
import { jsonSecrets, keyFileSecrets, kubeletYamlSecrets, pemSecrets, textSecrets } from './structured.js';
import { tomlSecrets } from './toml.js';
import { showSecrets, unitSecrets } from './unit.js';

/** How a text is read, which decides where its secrets are. */
export type SecretFormat = 'toml' | 'unit' | 'env-file' | 'etc-environment' | 'profile' | 'kubelet' | 'json' | 'systemctl-show' | 'key' | 'text';

const FINDERS: Record<SecretFormat, (text: string, record?: PathRecord) => SecretSpan[]> = {
  // A collected file's parse is the model's, cached by record.
  toml: (text, record) => tomlSecrets(text, record ? () => parsedToml(record, text).ok : undefined),
  unit: unitSecrets,
  'env-file': envFileSecrets,
  'etc-environment': etcEnvironmentSecrets,
  profile: profileSecrets,
  kubelet: kubeletYamlSecrets,
  json: jsonSecrets,
  'systemctl-show': showSecrets,
  key: keyFileSecrets,
  text: textSecrets,
};

/** The secrets of a text read in these formats (PEM private keys in any). */
export function findSecrets(text: string, formats: readonly SecretFormat[], record?: PathRecord): SecretSpan[] {
  return [...formats.flatMap((f) => FINDERS[f](text, record)), ...pemSecrets(text)];
}

/** A text with its secrets replaced by markers (`record`: the snapshot record it is the content of). */
export function redactContent(text: string, formats: readonly SecretFormat[], redactor: Redactor, record?: PathRecord): Redacted {
  const spans = findSecrets(text, formats, record);
  return spans.length === 0 ? { text, markers: [], masked: 0 } : applySpans(text, spans, (v) => redactor.marker(v));
}

/** Key files containerd is told about: `key_file` of the registry TLS settings, the second of a hosts.toml `client` pair. */
function keyFilesIn(value: TomlValue, dir: string, out: Set<string>, depth = 0): void {
  if (depth > 100 || value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'key_file' && typeof v === 'string' && v !== '') out.add(joinPath(dir, v));
    if (k === 'client' && Array.isArray(v))
      for (const pair of v) if (Array.isArray(pair) && typeof pair[1] === 'string' && pair[1] !== '') out.add(joinPath(dir, pair[1]));
    keyFilesIn(v, dir, out, depth + 1);
  }
}

/**
 * How each collected file is read, from the model's own view of the snapshot
 * (so an import not named *.toml is still TOML, and an EnvironmentFile= is an
 * env file wherever it is). Files no model reads in a known format get the
 * text rules.
 */
export function secretFormats(snapshot: Snapshot, units: readonly string[] = []): Map<string, SecretFormat[]> {
  const roles = new Map<string, SecretFormat[]>();
  const add = (path: string, format: SecretFormat): void => {
    const list = roles.get(path) ?? [];
    if (!list.includes(format)) roles.set(path, [...list, format]);
  };
  const keys = new Set<string>();
  const toml = (path: string, record: PathRecord | undefined): void => {
    add(path, 'toml');
    if (record?.content === undefined) return;
    const parsed = parsedToml(record, record.content);
    if (parsed.ok) keyFilesIn(parsed.value, dirname(path), keys);
  };
  for (const f of loadContainerdConfig(snapshot).files) toml(f.path, snapshot.paths[f.path]);
  for (const [path, record] of Object.entries(snapshot.paths)) if (path.endsWith('/hosts.toml')) toml(path, record);
  for (const path of keys) add(path, 'key');
  const systemd = buildSystemd(snapshot, units);
  for (const path of systemd.manager.files) add(path, 'unit');
  for (const unit of Object.values(systemd.units)) {
    for (const path of [unit.fragmentPath, ...unit.dropInPaths]) if (path !== null) add(path, 'unit');
    for (const e of unit.environmentFiles) for (const path of e.matches) add(path, 'env-file');
  }
  for (const path of systemd.login.files) add(path, path === '/etc/environment' ? 'etc-environment' : 'profile');
  for (const { file } of KUBELET_ARG_FILES) add(file, 'env-file');
  add(KUBELET_CONFIG, 'kubelet');
  add(KUBELET_INSTANCE_CONFIG, 'kubelet');
  return roles;
}

/**
 * Replace every secret of a snapshot's files by a marker, in place. Records
 * without a secret stay the same objects (what the model parsed of them
 * stays cached); a record with one is replaced and lists its markers.
 */
export function redactPaths(snapshot: Snapshot, redactor: Redactor, units: readonly string[] = []): void {
  const roles = secretFormats(snapshot, units);
  for (const [path, record] of Object.entries(snapshot.paths)) {
    if (record.content === undefined || record.content === '') continue;
    // A file no model reads in a known format is plain text (its PEM keys and URL passwords are still found).
    const r = redactContent(record.content, roles.get(path) ?? ['text'], redactor, record);
    if (r.markers.length === 0 && r.masked === 0) continue;
    snapshot.paths[path] = {
      ...record,
      content: r.text,
      ...(r.markers.length > 0 ? { secrets: r.markers } : {}),
      ...(r.masked > 0 ? { masked: r.masked } : {}),
    };
  }
}

/** The format of a probe's output. */
function probeFormat(name: string): SecretFormat {
  if (name.startsWith('systemctl-show:')) return 'systemctl-show';
  if (name === 'crictl-info') return 'json';
  if (name === 'containerd-config-dump') return 'toml';
  return 'text';
}

/** A probe's output with its secrets replaced (crictl info prints registry passwords; config dump, auth; systemctl show, Environment=). */
export function redactProbeOutput(name: string, text: string, redactor: Redactor): string {
  return text === '' ? text : redactContent(text, [probeFormat(name)], redactor).text;
}
