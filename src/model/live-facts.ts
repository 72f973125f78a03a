/**
 * containerd's settings that disk and the running daemon must agree on, read
 * the same way from each source: `containerd config dump`, `crictl info`, and
 * the static model of the files.
 */
import type { TomlData, TomlValue } from '../parsers/toml.js';
import type { ContainerdModel } from './types/containerd.js';
import type { ContainerdFacts } from './types/live.js';

const table = (v: TomlValue | undefined): TomlData => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** The facts of a `config dump` (version 2 layout from 1.x, version 3 from 2.x). */
export function dumpFacts(data: TomlData): ContainerdFacts {
  const plugins = table(data.plugins);
  const v2 = !(Number(data.version) >= 3);
  const runtimeCri = table(plugins[v2 ? 'io.containerd.grpc.v1.cri' : 'io.containerd.cri.v1.runtime']);
  const imagesCri = v2 ? runtimeCri : table(plugins['io.containerd.cri.v1.images']);
  const containerd = table(runtimeCri.containerd);
  const defaultRuntimeName = str(containerd.default_runtime_name);
  const runtime = table(table(containerd.runtimes)[defaultRuntimeName ?? 'runc']);
  return {
    sandboxImage: v2 ? str(runtimeCri.sandbox_image) : str(table(imagesCri.pinned_images).sandbox),
    defaultRuntimeName,
    systemdCgroup: bool(table(runtime.options).SystemdCgroup),
    configPath: str(table(imagesCri.registry).config_path),
  };
}

/** The facts of the running CRI plugin's configuration as `crictl info` prints it. */
export function crictlFacts(config: Record<string, unknown>): ContainerdFacts {
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const containerd = obj(config.containerd);
  const defaultRuntimeName = str(containerd.defaultRuntimeName);
  const runtime = obj(obj(containerd.runtimes)[defaultRuntimeName ?? 'runc']);
  return {
    sandboxImage: str(config.sandboxImage),
    defaultRuntimeName,
    systemdCgroup: bool(obj(runtime.options).SystemdCgroup),
    configPath: str(obj(config.registry).configPath),
  };
}

/**
 * The same facts from the static model (what the files on disk say), leaving
 * out built-in defaults: those depend on the release the model follows, which
 * may not be the installed one.
 */
export function modelFacts(containerd: ContainerdModel): Partial<ContainerdFacts> {
  const { cri } = containerd;
  const name = cri.defaultRuntimeName.value;
  const cgroup = cri.runtimes[name]?.systemdCgroup;
  const facts: Partial<ContainerdFacts> = {};
  if (!cri.sandboxImage.source.default) facts.sandboxImage = cri.sandboxImage.value;
  if (!cri.defaultRuntimeName.source.default) facts.defaultRuntimeName = name;
  if (cgroup && typeof cgroup.value === 'boolean') facts.systemdCgroup = cgroup.value;
  if (!cri.registry.configPath.source.default) facts.configPath = cri.registry.configPath.value;
  return facts;
}
