import type { Source } from '../../model/types.js';
import { defineRule, type Violation } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

/** The registry host a hosts directory stands for: `harbor.example.net_5000_` is harbor.example.net:5000. */
export function registryOfDir(name: string): string {
  return name.replace(/^(.*)_(\d+)_$/, '$1:$2');
}

/** host[:port] of an endpoint URL. */
const hostOf = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');

/** A plain-HTTP endpoint: containerd talks to it without TLS at all. */
const isPlainHttp = (url: string): boolean => /^http:\/\//i.test(url);

export default defineRule({
  id: 'containerd/registry-tls-verify',
  title: 'TLS verification stays on for every registry not allowed to be insecure',
  severity: 'error',
  mode: 'static',
  rationale:
    'insecure_skip_verify or skip_verify hides a missing CA ("x509: certificate signed by unknown authority"), and a plain http:// endpoint has no TLS at all; either lets anyone on the path serve images to the node.',
  remediation: "Install the registry's CA (ca in hosts.toml), remove skip_verify and use https:// endpoints, or list the host in registries.insecureAllowed.",
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md'],
  applies: settingsUnknown,
  check: (ctx) => {
    const { registry } = containerdOf(ctx).cri;
    const allowed = new Set(ctx.checklist.registries.insecureAllowed);
    const out: Violation[] = [];
    const plain = (url: string, registryHost: string, source: Source, how: string): void => {
      if (!isPlainHttp(url) || allowed.has(registryHost) || allowed.has(hostOf(url))) return;
      out.push({
        message: `${url} (${where(source)}) is a plain http:// endpoint for ${registryHost}: ${how} without TLS, so nothing verifies the registry; the checklist does not allow it to be insecure.`,
        evidence: { ...at(source), observed: url, expected: `https://${hostOf(url)}` },
        fix: `Serve ${hostOf(url)} over https:// with a CA containerd trusts (ca in hosts.toml), or add ${registryHost} to registries.insecureAllowed if plain HTTP is intended.`,
      });
    };
    for (const [host, tls] of Object.entries(registry.tls)) {
      const skip = tls.insecureSkipVerify;
      if (skip?.value !== true || allowed.has(host)) continue;
      out.push({
        message: `insecure_skip_verify = true for ${host} (${where(skip.source)}) turns off TLS verification for that registry; the checklist does not allow ${host} to be insecure.`,
        evidence: { ...at(skip.source), observed: true, expected: false },
      });
    }
    for (const [host, mirror] of Object.entries(registry.mirrors)) {
      for (const endpoint of mirror.endpoints) plain(endpoint, host, mirror.endpointsSource!, 'containerd pulls through it');
    }
    for (const dir of registry.hostsDirs) {
      const registryHost = registryOfDir(dir.name);
      for (const h of dir.hosts) {
        if (h.urlSource)
          plain(h.url, registryHost, h.urlSource, h.kind === 'host' ? 'containerd pulls through this mirror' : 'containerd pulls from this server');
        if (!h.skipVerify) continue;
        const target = h.url || registryHost;
        if (allowed.has(registryHost) || allowed.has(hostOf(target))) continue;
        // The line of skip_verify itself, not the [host."…"] header above it.
        const source = h.skipVerifySource!;
        out.push({
          message: `skip_verify = true for ${target} in ${where(source)} turns off TLS verification when pulling from ${registryHost}; the checklist does not allow it to be insecure.`,
          evidence: { ...at(source), path: source.key, observed: true, expected: false },
        });
      }
    }
    return out;
  },
});
