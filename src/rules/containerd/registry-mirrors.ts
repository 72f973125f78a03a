import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/registry-mirrors",
  title: "Every registry the checklist mirrors resolves to that mirror first",
  severity: 'error',
  mode: 'static',
  rationale:
    "Pulls that bypass the organization's mirror fail on air-gapped networks or hit public rate limits.",
  remediation:
    "Add the mirror as the first [host] of certs.d/<registry>/hosts.toml under config_path.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/hosts.md#setup-a-local-mirror-for-docker",
  ],
});
