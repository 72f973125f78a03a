import type { EnvVar, NodeModel, SystemdUnit } from '../model/types.js';
import type { Evidence } from './types.js';

/** The services the systemd rules judge. */
export const SERVICES = ['containerd.service', 'kubelet.service'] as const;

/** Variables that configure a proxy: the six Go reads, and ALL_PROXY, which curl reads and Go ignores. */
export const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'] as const;

/** A service whose environment is known (loaded, and able to start). */
export interface ServiceEnvironment {
  name: string;
  unit: SystemdUnit;
  env: Record<string, EnvVar>;
}

/** containerd.service and kubelet.service where systemd would start them with an environment. */
export function servicesWithEnvironment(model: NodeModel): ServiceEnvironment[] {
  return SERVICES.flatMap((name) => {
    const unit = model.systemd.units[name]!;
    return unit.environment ? [{ name, unit, env: unit.environment }] : [];
  });
}

/** Why neither service has an environment, for a not-applicable result. */
export function noEnvironmentReason(model: NodeModel): string {
  return `neither containerd.service nor kubelet.service would start with an environment (${SERVICES.map((n) => `${n}: ${stateOf(model.systemd.units[n]!)}`).join(', ')})`;
}

function stateOf(unit: SystemdUnit): string {
  return unit.startFailure ? 'cannot start' : unit.loadState;
}

/** "file:line" of a variable's assignment. */
export const place = (v: { file: string; line?: number }): string => (v.line === undefined ? v.file : `${v.file}:${v.line}`);

/** Evidence pointing at a variable's assignment. */
export function evidenceAt(v: { file: string; line?: number }, observed: unknown, expected: unknown, path?: string): Evidence {
  return { file: v.file, ...(v.line === undefined ? {} : { line: v.line }), ...(path ? { path } : {}), observed, expected };
}

/** The JSON Pointer of a unit's variable in the node model. */
export const envPointer = (unit: string, name: string): string => `/systemd/units/${unit}/environment/${name}`;

/** Why a unit does not load: not found, masked, or a unit file systemd rejects. */
export function unitLoadProblem(model: NodeModel, name: string): { message: string; evidence: Evidence } | null {
  const unit = model.systemd.units[name]!;
  const pointer = `/systemd/units/${name}/loadState`;
  if (unit.loadState === 'not-found') {
    return {
      message: `${name} is in none of systemd's unit directories (${model.systemd.searchPath.join(', ')}), so systemd cannot start it; it must exist and load.`,
      evidence: { path: pointer, observed: 'not-found', expected: 'loaded' },
    };
  }
  if (unit.loadState === 'masked') {
    return {
      message: `${name} is masked by ${unit.fragmentPath} (a symlink to /dev/null or an empty file), so systemd refuses to start it; it must load unmasked.`,
      evidence: { file: unit.fragmentPath!, path: pointer, observed: 'masked', expected: 'loaded' },
    };
  }
  if (unit.startFailure?.reason === 'unit-file') {
    return {
      message: `${name} does not load: ${unit.startFailure.message} (${place(unit.startFailure)}); its unit file must parse.`,
      evidence: evidenceAt(unit.startFailure, 'error', 'loaded', pointer),
    };
  }
  return null;
}
