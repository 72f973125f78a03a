import { exists, readText } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import { envFileToMap, parseEnvFile } from '../parsers/env-file.js';
import { parseKubeletArgs, parseKubeletArgv, parseKubeletConfig, type KubeletConfigFields } from '../parsers/kubelet.js';
import { splitWords } from '../parsers/systemd-unit.js';
import { fileInfo } from './file-info.js';
import type { InputRequest } from './inputs.js';
import type { FileInfo, KubeletFlagUse, KubeletModel, Source, Sourced, SystemdModel, SystemdUnit } from './types.js';

/** kubeadm's kubelet configuration file. */
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
/** kubeadm's per-node patch (NodeLocalCRISocket), applied over config.yaml. */
export const KUBELET_INSTANCE_CONFIG = '/var/lib/kubelet/instance-config.yaml';

/** Environment files whose variables the kubeadm drop-in passes to kubelet, in command-line order. */
export const KUBELET_ARG_FILES = [
  { file: '/var/lib/kubelet/kubeadm-flags.env', variable: 'KUBELET_KUBEADM_ARGS' },
  { file: '/etc/default/kubelet', variable: 'KUBELET_EXTRA_ARGS' },
  { file: '/etc/sysconfig/kubelet', variable: 'KUBELET_EXTRA_ARGS' },
] as const;

/** Files a previous `kubeadm join` leaves behind (kubeadm's FileAvailable checks). */
export const PREVIOUS_JOIN_FILES = [
  '/etc/kubernetes/kubelet.conf',
  '/etc/kubernetes/bootstrap-kubelet.conf',
  '/etc/kubernetes/pki/ca.crt',
] as const;

/** What the kubelet checks read. */
export function planKubeletInputs(): InputRequest {
  return {
    read: [KUBELET_CONFIG, KUBELET_INSTANCE_CONFIG, ...KUBELET_ARG_FILES.map((f) => f.file)],
    list: [],
    stat: [...PREVIOUS_JOIN_FILES],
  };
}

function readConfig(snapshot: Snapshot, path: string): { info: FileInfo; fields: KubeletConfigFields } {
  const r = readText(snapshot, path);
  if (r.status !== 'ok') return { info: fileInfo(snapshot, path), fields: {} };
  const parsed = parseKubeletConfig(r.text);
  if (!parsed.ok) return { info: fileInfo(snapshot, path, parsed.error), fields: {} };
  return { info: fileInfo(snapshot, path), fields: parsed.fields };
}

function sourced<T>(file: string, key: string, field: { value: T; line?: number; column?: number } | undefined): Sourced<T> | null {
  if (!field) return null;
  return { value: field.value, source: { file, key, line: field.line, column: field.column } };
}

/** Flags passed to kubelet through the kubeadm drop-in's environment files, read directly (no kubelet.service). */
function readFlags(snapshot: Snapshot): KubeletFlagUse[] {
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

/**
 * The flags kubelet.service starts kubelet with: every effective `ExecStart=`
 * (fragment or drop-in), its literal words and the variables it expands from
 * the unit's environment (`$VAR` splits at blanks, `${VAR}` is one word). A
 * flag carries the file and line of the word or of the variable's assignment.
 */
function unitFlags(unit: SystemdUnit, environment: NonNullable<SystemdUnit['environment']>): KubeletFlagUse[] {
  const flags: KubeletFlagUse[] = [];
  for (const command of unit.execStart) {
    const tokens: { text: string; via: string; source: Source }[] = [];
    // The first word is the program (with its @-:+! prefixes).
    for (const { text } of splitWords(command.value, true).words.slice(1)) {
      const variable = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(text);
      if (!variable) {
        tokens.push({ text, via: 'ExecStart', source: { file: command.file, line: command.line, key: 'ExecStart' } });
        continue;
      }
      const name = variable[1] ?? variable[2]!;
      const assignment = environment[name];
      if (!assignment) continue;
      const source = { file: assignment.file, line: assignment.line, key: name };
      const words = variable[1] ? [assignment.value] : assignment.value.split(/\s+/).filter(Boolean);
      tokens.push(...words.map((w) => ({ text: w, via: name, source })));
    }
    for (const f of parseKubeletArgv(tokens.map((t) => t.text))) flags.push({ name: f.name, value: f.value, via: tokens[f.index]!.via, source: tokens[f.index]!.source });
  }
  return flags;
}

/**
 * Build kubelet's configuration as the node's files describe it. With a
 * kubelet.service that can start, its flags come from the unit (so the file
 * that sets KUBELET_EXTRA_ARGS is the one its `EnvironmentFile=` names);
 * otherwise from the well-known argument files.
 */
export function buildKubelet(snapshot: Snapshot, systemd: SystemdModel): KubeletModel {
  const config = readConfig(snapshot, KUBELET_CONFIG);
  const instance = readConfig(snapshot, KUBELET_INSTANCE_CONFIG);
  const unit = systemd.units['kubelet.service']!;
  const flags = unit.environment ? unitFlags(unit, unit.environment) : readFlags(snapshot);
  // Command-line flags beat instance-config.yaml, which patches config.yaml;
  // among flags the last one on the command line wins (KUBELET_EXTRA_ARGS comes last).
  const endpointFlags = flags
    .filter((f) => f.name === 'container-runtime-endpoint' && f.value !== null)
    .map((f) => ({ value: f.value!, source: f.source }))
    .reverse();
  const runtimeEndpoints = [
    ...endpointFlags,
    sourced(KUBELET_INSTANCE_CONFIG, 'containerRuntimeEndpoint', instance.fields.containerRuntimeEndpoint),
    sourced(KUBELET_CONFIG, 'containerRuntimeEndpoint', config.fields.containerRuntimeEndpoint),
  ].filter((x): x is Sourced<string> => x !== null);
  return {
    config: config.info,
    instanceConfig: instance.info,
    cgroupDriver: sourced(KUBELET_CONFIG, 'cgroupDriver', config.fields.cgroupDriver),
    resolvConf: sourced(KUBELET_CONFIG, 'resolvConf', config.fields.resolvConf),
    runtimeEndpoints,
    flags,
    previousJoinFiles: PREVIOUS_JOIN_FILES.map((path) => ({ path, exists: exists(snapshot, path) === true })),
  };
}
