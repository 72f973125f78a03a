import { defineRule, type Violation } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

/** The registry host a hosts directory stands for: `harbor.example.net_5000_` is harbor.example.net:5000. */
export function registryOfDir(name: string): string {
  return name.replace(/^(.*)_(\d+)_$/, '$1:$2');
}

export default defineRule({
  id: 'containerd/registry-tls-verify',
  title: 'TLS verification stays on for every registry not allowed to be insecure',
  severity: 'error',
  mode: 'static',
  rationale:
    'insecure_skip_verify or skip_verify hides a missing CA ("x509: certificate signed by unknown authority") and lets anyone on the path serve images to the node.',
  remediation: "Install the registry's CA (ca in hosts.toml) and remove skip_verify, or list the host in registries.insecureAllowed.",
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md'],
  applies: settingsUnknown,
  check: (ctx) => {
    const { registry } = containerdOf(ctx).cri;
    const allowed = new Set(ctx.checklist.registries.insecureAllowed);
    const out: Violation[] = [];
    for (const [host, tls] of Object.entries(registry.tls)) {
      const skip = tls.insecureSkipVerify;
      if (skip?.value !== true || allowed.has(host)) continue;
      out.push({
        message: `insecure_skip_verify = true for ${host} (${where(skip.source)}) turns off TLS verification for that registry; the checklist does not allow ${host} to be insecure.`,
        evidence: { ...at(skip.source), observed: true, expected: false },
      });
    }
    for (const dir of registry.hostsDirs) {
      const registryHost = registryOfDir(dir.name);
      for (const h of dir.hosts) {
        if (!h.skipVerify) continue;
        const target = h.url || registryHost;
        if (allowed.has(registryHost) || allowed.has(target.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, ''))) continue;
        out.push({
          message: `skip_verify = true for ${target} in ${where(h.source)} turns off TLS verification when pulling from ${registryHost}; the checklist does not allow it to be insecure.`,
          evidence: { ...at(h.source), path: `${h.source.key ? `${h.source.key}.` : ''}skip_verify`, observed: true, expected: false },
        });
      }
    }
    return out;
  },
});
