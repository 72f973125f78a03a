import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/registries-resolve",
  title: "The registries of the critical images resolve",
  severity: 'error',
  mode: 'live',
  rationale:
    "Pulls fail with \"dial tcp: lookup ... i/o timeout\" when the node's resolver cannot resolve a registry or mirror.",
  remediation:
    "Fix the node's DNS (resolv.conf, systemd-resolved) so the registries resolve.",
  references: [
    "https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/",
  ],
});
