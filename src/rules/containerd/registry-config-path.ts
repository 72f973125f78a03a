import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/registry-config-path",
  title: "Registries are configured through config_path and hosts.toml",
  severity: 'warning',
  mode: 'static',
  rationale:
    "The legacy registry.mirrors, configs and auths settings are deprecated and disable the transfer service; with config_path also set the CRI plugin fails to load.",
  remediation:
    "Move mirrors, TLS and auth settings to hosts.toml files under config_path (e.g. /etc/containerd/certs.d) and remove the legacy sections.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/hosts.md",
    "https://github.com/containerd/containerd/blob/main/docs/cri/registry.md",
  ],
});
