import { parseContainerdVersion } from '../../model/containerd/semantics.js';
import { defineRule, type Violation } from '../types.js';
import { at, q, where } from '../helpers.js';
import { settingsUnknown, containerdOf, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/registry-config-path',
  title: 'Registries are configured through config_path and hosts.toml',
  severity: 'warning',
  mode: 'static',
  rationale:
    'The legacy registry.mirrors, configs and auths settings are deprecated and disable the transfer service; with config_path also set the CRI plugin fails to load.',
  remediation: 'Move mirrors, TLS and auth settings to hosts.toml files under config_path (e.g. /etc/containerd/certs.d) and remove the legacy sections.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md', 'https://github.com/containerd/containerd/blob/main/docs/cri/registry.md'],
  applies: settingsUnknown,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const { registry } = c.cri;
    const { legacy, configPath } = registry;
    const v = parseContainerdVersion(c.semantics.version)!;
    const out: Violation[] = [];
    const pathSet = configPath.value !== '';
    if (pathSet && legacy.mirrors.length > 0) {
      const m = legacy.mirrors[0]!;
      out.push({
        message: `registry.mirrors (${where(m.source)}) and config_path (${where(configPath.source)}) are both set, so the CRI plugin of ${release(ctx)} fails to load ("mirrors cannot be set when config_path is provided").`,
        evidence: { ...at(m.source), observed: { mirrors: legacy.mirrors.map((x) => x.value), config_path: configPath.value } },
        severity: 'error',
      });
    }
    if (pathSet && v.major === 1 && legacy.configTls.length > 0) {
      const t = legacy.configTls[0]!;
      out.push({
        message: `registry.configs.${q(t.value)}.tls (${where(t.source)}) and config_path (${where(configPath.source)}) are both set, so the CRI plugin of ${release(ctx)} fails to load ("configs.tls cannot be set when config_path is provided").`,
        evidence: { ...at(t.source), observed: t.value },
        severity: 'error',
      });
    }
    // containerd 2.2.0 and 2.2.1 injected the default config_path even when mirrors were set (containerd#12612).
    if (!pathSet && legacy.mirrors.length > 0 && v.major === 2 && v.minor === 2 && v.patch !== null && v.patch < 2) {
      out.push({
        message: `registry.mirrors is set (${where(legacy.mirrors[0]!.source)}) without config_path; ${release(ctx)} injects its default config_path and the CRI plugin fails to load (fixed in 2.2.2).`,
        evidence: { ...at(legacy.mirrors[0]!.source), observed: legacy.mirrors.map((x) => x.value) },
        severity: 'error',
      });
    }
    for (const [section, entries] of [
      ['mirrors', legacy.mirrors],
      ['configs', legacy.configs],
      ['auths', legacy.auths],
    ] as const) {
      if (entries.length === 0) continue;
      out.push({
        message: `the deprecated registry.${section} section (${where(entries[0]!.source)}) configures ${entries.map((e) => q(e.value)).join(', ')}; use hosts.toml under config_path instead.`,
        evidence: { ...at(entries[0]!.source), path: `registry.${section}`, observed: entries.map((e) => e.value), expected: 'config_path with hosts.toml' },
      });
    }
    return out;
  },
});
