/**
 * The names operators know the compared settings by (`containerd HTTPS_PROXY`,
 * `sandbox image`, `runc SystemdCgroup`), for `diff` and `fleet`. Pure.
 */

/** Containerd-config keys whose effect the containerd model already shows under an operator name. */
const SHOWN_ELSEWHERE =
  /(?:^|\.)(?:sandbox_image|sandbox|SystemdCgroup|runtime_type|default_runtime_name|config_path)$|^version$|\.registry\.mirrors\b|\.registry\.configs\[[^\]]+\]\.tls\.insecure_skip_verify$/;

/** A path segment with its separator, as the comparison writes it: `.name` or `["name.with.dots"]`. */
const SEGMENT = String.raw`(?:\.|(?=\[))(\["[^"]+"\]|[\w-]+)`;
const unquote = (segment: string): string => segment.replace(/^\["(.*)"\]$/, '$1');

/** Model paths known by a fixed operator name, per group. */
const NAMED: Record<string, Record<string, string>> = {
  containerd: {
    'cri.sandboxImage': 'sandbox image',
    'cri.defaultRuntimeName': 'default runtime',
    'cri.registry.configPath': 'registry config_path',
    version: 'containerd config version',
    'semantics.version': 'containerd release the rules follow',
  },
  crictl: { runtimeEndpoint: 'crictl runtime-endpoint', imageEndpoint: 'crictl image-endpoint', timeoutSeconds: 'crictl timeout' },
  kubelet: { 'config.state': 'kubelet config file', cgroupDriver: 'kubelet cgroupDriver' },
  host: {
    'modules.loaded': 'kernel modules loaded',
    'modules.persisted': 'kernel modules loaded at boot',
    'resolvConf.nameservers': 'resolv.conf nameservers',
    'resolvConf.search': 'resolv.conf search',
    'cgroup.version': 'cgroup version',
  },
};

/** [pattern, name] pairs: the first pattern that matches the model path names the setting (null: shown by another setting). */
const PATTERNS: Record<string, [RegExp, (m: RegExpExecArray) => string | null][]> = {
  containerd: [
    [new RegExp(`^cri\\.runtimes${SEGMENT}\\.systemdCgroup$`), (m) => `${unquote(m[1]!)} SystemdCgroup`],
    [new RegExp(`^cri\\.runtimes${SEGMENT}\\.type$`), (m) => `${unquote(m[1]!)} runtime_type`],
    [/^cri\.registry\.legacy\.(mirrors|configs)\b/, (m) => `deprecated registry.${m[1]!}`],
    [/^cri\.registry\.tls\["([^"]+)"\]\.insecureSkipVerify$/, (m) => `registry ${m[1]!} insecure_skip_verify`],
    [/^(?:cri\.runtimes|cri\.registry|files|keys|semantics)\b/, () => null],
  ],
  crictl: [[/^entries\b/, () => null]],
  kubelet: [
    [new RegExp(`^flags${SEGMENT}$`), (m) => `kubelet --${unquote(m[1]!)}`],
    [/^runtimeEndpoints\b/, () => 'kubelet runtime endpoint'],
    [/^(?:command|podInfraContainerImage)\b/, () => null],
  ],
  host: [
    [new RegExp(`^binaries${SEGMENT}\\.path$`), (m) => `binary ${unquote(m[1]!)}`],
    [/^binaries\b/, () => null],
    [/^sysctl\.(live|persisted)\["(.+)"\]/, (m) => `sysctl ${m[2]!} (${m[1] === 'live' ? 'now' : 'at boot'})`],
    [/^(modules\.persisted)\b/, (m) => NAMED.host![m[1]!]!],
  ],
  unit: [
    [new RegExp(`^environment${SEGMENT}$`), (m) => (/^KUBELET_/.test(unquote(m[1]!)) ? null : unquote(m[1]!))],
    [/^dropInPaths$/, () => 'drop-ins'],
    [/^(?:command|environmentFiles|environment)\b/, () => null],
  ],
};

/**
 * The name an operator knows a compared model setting by, or null for the
 * model's bookkeeping (parsed copies, provenance, schema choice) that another
 * setting already shows. Settings that map to one name are one setting.
 */
export function settingName(group: string, path: string): string | null {
  const unit = /^systemd: (.+)$/.exec(group)?.[1];
  // containerd's and kubelet's variables by the program's name (`containerd HTTPS_PROXY`), other settings by the unit's.
  if (unit !== undefined) {
    const found = byPattern('unit', path, (name) => (name === 'drop-ins' ? `${unit} drop-ins` : `${unit.replace(/\.service$/, '')} ${name}`));
    return found === undefined ? `${unit} ${path}` : found;
  }
  // A registry's hosts.toml is one setting: its hosts (and which skip TLS verification) are what an operator wrote.
  const registry = /^containerd: registry (.+)$/.exec(group)?.[1];
  if (registry !== undefined) return `registry ${registry} hosts.toml`;
  if (group === 'containerd: effective configuration') return SHOWN_ELSEWHERE.test(path) ? null : `containerd config ${path}`;
  const named = NAMED[group]?.[path];
  if (named !== undefined) return named;
  const found = byPattern(group, path, (name) => name);
  if (found !== undefined) return found;
  // Otherwise the group and the path up to its first list element or keyed entry, so a list is one setting.
  return `${group} ${path.replace(/[[].*$/, '')}`;
}

function byPattern(table: string, path: string, label: (name: string) => string): string | null | undefined {
  for (const [re, name] of PATTERNS[table] ?? []) {
    const m = re.exec(path);
    if (!m) continue;
    const n = name(m);
    return n === null ? null : label(n);
  }
  return undefined;
}
