/**
 * kubelet as its command line and configuration files make it run: the
 * command kubelet.service starts (ExecStart= after its drop-ins, with the
 * variables of its environment files substituted), the `--config` file that
 * command names (YAML or JSON), the `--config-dir` drop-ins merged over it,
 * and the flags that override both. Sources: kubernetes cmd/kubelet/app
 * (server.go: loadConfigFile, mergeKubeletConfigurations, the flag precedence
 * of kubeletConfigFlagPrecedence) and the kubelet-config-file task page
 * ("Kubelet configuration merging order").
 */
import { compareBytes, joinPath, normalizePath } from '../snapshot/paths.js';
import { exists, listDir, readText } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import { envFileToMap, parseEnvFile } from '../parsers/env-file.js';
import { parseKubeletArgs, parseKubeletArgv, parseKubeletConfig, type KubeletConfigFields } from '../parsers/kubelet.js';
import { fileInfo } from './file-info.js';
import type { InputRequest } from './inputs.js';
import { buildSystemd } from './systemd.js';
import type { KubeletConfigFile, KubeletFlagUse, KubeletModel, Sourced, SystemdModel, SystemdUnit } from './types.js';

/** kubeadm's kubelet configuration file: what kubeadm's drop-in passes with --config, and writes at join. */
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
/** kubeadm's per-node patch (NodeLocalCRISocket), merged into config.yaml by kubeadm at join. */
export const KUBELET_INSTANCE_CONFIG = '/var/lib/kubelet/instance-config.yaml';

/** Environment files whose variables the kubeadm drop-in passes to kubelet, in command-line order. */
export const KUBELET_ARG_FILES = [
  { file: '/var/lib/kubelet/kubeadm-flags.env', variable: 'KUBELET_KUBEADM_ARGS' },
  { file: '/etc/default/kubelet', variable: 'KUBELET_EXTRA_ARGS' },
  { file: '/etc/sysconfig/kubelet', variable: 'KUBELET_EXTRA_ARGS' },
] as const;

/** Files a previous `kubeadm join` leaves behind (kubeadm's FileAvailable checks). */
export const PREVIOUS_JOIN_FILES = ['/etc/kubernetes/kubelet.conf', '/etc/kubernetes/bootstrap-kubelet.conf', '/etc/kubernetes/pki/ca.crt'] as const;

/** kubelet reads only drop-ins with this suffix (kubelet-config-file task page). */
const DROP_IN_SUFFIX = '.conf';
/** filepath.WalkDir descends into subdirectories of --config-dir; a bound on how deep this model follows. */
const MAX_DROP_IN_DEPTH = 4;

/** systemd starts services in `/` unless WorkingDirectory= says otherwise: relative paths resolve there. */
const resolveKubeletPath = (path: string): string => normalizePath(path.startsWith('/') ? path : `/${path}`);

/** The flags kubelet.service starts kubelet with, or, without a unit that can start, those of the well-known argument files. */
function flagsOf(snapshot: Snapshot, unit: SystemdUnit): KubeletFlagUse[] {
  if (unit.command) {
    const argv = unit.command.argv.slice(1);
    return parseKubeletArgv(argv.map((w) => w.text)).map((f) => ({ name: f.name, value: f.value, via: argv[f.index]!.via, source: argv[f.index]!.source }));
  }
  if (unit.environment) return [];
  const flags: KubeletFlagUse[] = [];
  for (const { file, variable } of KUBELET_ARG_FILES) {
    const r = readText(snapshot, file);
    if (r.status !== 'ok') continue;
    const assignment = envFileToMap(parseEnvFile(r.text)).get(variable);
    if (!assignment) continue;
    for (const f of parseKubeletArgs(assignment.value)) {
      flags.push({ ...f, via: variable, source: { file, line: assignment.line, key: variable } });
    }
  }
  return flags;
}

/** The last value of a flag on the command line (pflag keeps the last), or undefined. */
function lastFlag(flags: readonly KubeletFlagUse[], name: string): KubeletFlagUse | undefined {
  return flags.filter((f) => f.name === name && f.value !== null).at(-1);
}

/** Where kubelet reads its configuration: the --config file (kubeadm's path when nothing names one) and the --config-dir. */
function configPaths(flags: readonly KubeletFlagUse[]): { config: Sourced<string>; dir: Sourced<string> | null } {
  const config = lastFlag(flags, 'config');
  const dir = lastFlag(flags, 'config-dir');
  return {
    config: config
      ? { value: resolveKubeletPath(config.value!), source: config.source }
      : { value: KUBELET_CONFIG, source: { default: "kubeadm's kubelet configuration (nothing names another with --config)" } },
    dir: dir && dir.value !== '' ? { value: resolveKubeletPath(dir.value!), source: dir.source } : null,
  };
}

/** Drop-in files of --config-dir in the order kubelet merges them (filepath.WalkDir: lexical, depth first). */
function dropInFiles(snapshot: Snapshot, dir: string, depth = 0): { files: string[]; needList: string[] } {
  const entries = listDir(snapshot, dir);
  if (entries === undefined) return { files: [], needList: exists(snapshot, dir) === undefined ? [dir] : [] };
  const out = { files: [] as string[], needList: [] as string[] };
  for (const e of [...entries].sort((a, b) => compareBytes(a.name, b.name))) {
    const path = joinPath(dir, e.name);
    if (e.type === 'directory') {
      if (depth + 1 >= MAX_DROP_IN_DEPTH) continue;
      const sub = dropInFiles(snapshot, path, depth + 1);
      out.files.push(...sub.files);
      out.needList.push(...sub.needList);
    } else if (e.name.endsWith(DROP_IN_SUFFIX) && e.type !== 'other') out.files.push(path);
  }
  return out;
}

/** What the kubelet checks read: the files its command line names, and kubeadm's well-known ones. */
export function planKubeletInputs(snapshot: Snapshot): InputRequest {
  const read: string[] = [KUBELET_CONFIG, KUBELET_INSTANCE_CONFIG, ...KUBELET_ARG_FILES.map((f) => f.file)];
  const list: string[] = [];
  // Before anything is collected there is no unit to read the command line from.
  if (Object.keys(snapshot.paths).length > 0) {
    const unit = buildSystemd(snapshot).units['kubelet.service']!;
    const paths = configPaths(flagsOf(snapshot, unit));
    read.push(paths.config.value);
    if (paths.dir) {
      const drop = dropInFiles(snapshot, paths.dir.value);
      list.push(paths.dir.value, ...drop.needList);
      read.push(...drop.files);
    }
  }
  return { read, list, stat: [...PREVIOUS_JOIN_FILES] };
}

/** One configuration file: how it was read and the fields the checks use. */
function readConfig(snapshot: Snapshot, path: string, role: KubeletConfigFile['role']): { file: KubeletConfigFile; fields: KubeletConfigFields } {
  const r = readText(snapshot, path);
  if (r.status !== 'ok') return { file: { ...fileInfo(snapshot, path), role }, fields: {} };
  const parsed = parseKubeletConfig(r.text);
  if (!parsed.ok) return { file: { ...fileInfo(snapshot, path, parsed.error), role }, fields: {} };
  return { file: { ...fileInfo(snapshot, path), role }, fields: parsed.fields };
}

type Layer = { path: string; fields: KubeletConfigFields };

/** The value of a configuration field after merging: the last layer that sets it, with its file and line. */
function fromLayers<T>(
  layers: readonly Layer[],
  pick: (f: KubeletConfigFields) => { value: T; line?: number; column?: number } | undefined,
  key: string,
): Sourced<T> | null {
  for (const layer of [...layers].reverse()) {
    const field = pick(layer.fields);
    if (field) return { value: field.value, source: { file: layer.path, key, line: field.line, column: field.column } };
  }
  return null;
}

/** A flag's value as a sourced string, or null when the command line does not set it. */
function flagValue(flags: readonly KubeletFlagUse[], name: string): Sourced<string> | null {
  const f = lastFlag(flags, name);
  return f ? { value: f.value!, source: { ...f.source, key: f.source.key === 'ExecStart' ? `--${name}` : f.source.key } } : null;
}

/** pflag's strconv.ParseBool spellings, for a boolean flag written with a value. */
function parseBool(text: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return null;
}

/**
 * Build kubelet's configuration as the node's files make it: command-line
 * flags over the `--config-dir` drop-ins (lexical order) over the `--config`
 * file (with kubeadm's instance-config.yaml over kubeadm's config.yaml), each
 * value with the file and line that set it.
 */
export function buildKubelet(snapshot: Snapshot, systemd: SystemdModel): KubeletModel {
  const unit = systemd.units['kubelet.service']!;
  const flags = flagsOf(snapshot, unit);
  const paths = configPaths(flags);
  const main = readConfig(snapshot, paths.config.value, 'config');
  // kubeadm merges instance-config.yaml into its own config.yaml at join; a --config elsewhere never sees it.
  const instance = readConfig(snapshot, KUBELET_INSTANCE_CONFIG, 'instance-config');
  const dropIns = paths.dir ? dropInFiles(snapshot, paths.dir.value).files.map((p) => readConfig(snapshot, p, 'drop-in')) : [];
  const layers: Layer[] = [
    { path: main.file.path, fields: main.fields },
    ...(paths.config.value === KUBELET_CONFIG ? [{ path: KUBELET_INSTANCE_CONFIG, fields: instance.fields }] : []),
    ...dropIns.map((d) => ({ path: d.file.path, fields: d.fields })),
  ];
  const field = (name: 'cgroupDriver' | 'containerRuntimeEndpoint' | 'imageServiceEndpoint' | 'resolvConf', flag: string): Sourced<string> | null =>
    flagValue(flags, flag) ?? fromLayers(layers, (f) => f[name], name);
  const swapFlag = flags.filter((f) => f.name === 'fail-swap-on').at(-1);
  const swapValue = swapFlag ? (swapFlag.value === null ? true : parseBool(swapFlag.value)) : null;
  // Every runtime endpoint that is configured, the one kubelet uses first (flags, then the config layers, last first).
  const endpointFlags = flags
    .filter((f) => f.name === 'container-runtime-endpoint' && f.value !== null)
    .map((f) => ({ value: f.value!, source: f.source }))
    .reverse();
  const endpointLayers = [...layers].reverse().flatMap((l) =>
    l.fields.containerRuntimeEndpoint
      ? [
          {
            value: l.fields.containerRuntimeEndpoint.value,
            source: {
              file: l.path,
              key: 'containerRuntimeEndpoint',
              line: l.fields.containerRuntimeEndpoint.line,
              column: l.fields.containerRuntimeEndpoint.column,
            },
          },
        ]
      : [],
  );
  return {
    command: unit.command ? { file: unit.command.file, line: unit.command.line, argv: unit.command.argv.map((w) => w.text) } : null,
    config: main.file,
    configSource: paths.config.source,
    configDir: paths.dir ? { path: paths.dir.value, source: paths.dir.source, files: dropIns.map((d) => d.file) } : null,
    instanceConfig: instance.file,
    cgroupDriver: field('cgroupDriver', 'cgroup-driver'),
    resolvConf: field('resolvConf', 'resolv-conf'),
    imageServiceEndpoint: field('imageServiceEndpoint', 'image-service-endpoint'),
    failSwapOn: swapFlag && swapValue !== null ? { value: swapValue, source: swapFlag.source } : fromLayers(layers, (f) => f.failSwapOn, 'failSwapOn'),
    podInfraContainerImage: flagValue(flags, 'pod-infra-container-image'),
    runtimeEndpoints: [...endpointFlags, ...endpointLayers],
    flags,
    previousJoinFiles: PREVIOUS_JOIN_FILES.map((path) => ({ path, exists: exists(snapshot, path) === true })),
  };
}
