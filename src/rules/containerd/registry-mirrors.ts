import { defaultServer, hostDirCandidates } from '../../model/containerd/registry.js';
import type { ContainerdModel } from '../../model/types.js';
import { defineRule, type Violation } from '../types.js';
import { q, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

/** A URL for comparison: scheme added (https), trailing slashes and a /v2 suffix dropped, lower case host. */
export function normalizeRegistryUrl(url: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(url) ? url : `https://${url}`;
  const m = /^([a-z]+):\/\/([^/]+)(.*)$/i.exec(withScheme)!;
  return `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3]!.replace(/\/+$/, '').replace(/\/v2$/, '')}`;
}

/** The endpoints containerd tries for a registry, in order, and where that order comes from. */
export function resolveEndpoints(registry: ContainerdModel['cri']['registry'], host: string): { endpoints: string[]; via: string } {
  if (registry.roots.length > 0) {
    for (const root of registry.roots) {
      for (const name of hostDirCandidates(host)) {
        const dir = registry.hostsDirs.find((d) => d.root === root && d.name === name);
        if (!dir) continue;
        const pulls = dir.hosts.filter((h) => h.capabilities.includes('pull'));
        const endpoints = pulls.map((h) => (h.url === '' ? defaultServer(host) : h.url));
        return { endpoints: endpoints.length > 0 ? endpoints : [defaultServer(host)], via: dir.hostsToml.path };
      }
    }
    return { endpoints: [defaultServer(host)], via: `no directory for ${host} under ${registry.roots.join(':')}` };
  }
  const mirror = registry.mirrors[host] ?? registry.mirrors['*'];
  const endpoints = (mirror?.endpoints ?? []).map((e) => (/^[a-z]+:\/\//i.test(e) ? e : `https://${e}`));
  // The registry's own host comes last unless an endpoint already is it.
  const own = defaultServer(host);
  if (!endpoints.some((e) => normalizeRegistryUrl(e) === normalizeRegistryUrl(own))) endpoints.push(own);
  return { endpoints, via: mirror ? `registry.mirrors (${where(mirror.source)})` : 'no mirror configured' };
}

export default defineRule({
  id: 'containerd/registry-mirrors',
  title: 'Every registry the checklist mirrors resolves to that mirror first',
  severity: 'error',
  mode: 'static',
  rationale: "Pulls that bypass the organization's mirror fail on air-gapped networks or hit public rate limits.",
  remediation: 'Add the mirror as the first [host] of certs.d/<registry>/hosts.toml under config_path.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md#setup-a-local-mirror-for-docker'],
  applies: (ctx) =>
    settingsUnknown(ctx) ??
    (Object.keys(ctx.checklist.registries.mirrors).length === 0 ? 'the checklist requires no registry mirror (registries.mirrors)' : undefined),
  check: (ctx) => {
    const { registry } = containerdOf(ctx).cri;
    const out: Violation[] = [];
    for (const [host, mirror] of Object.entries(ctx.checklist.registries.mirrors)) {
      const { endpoints, via } = resolveEndpoints(registry, host);
      if (normalizeRegistryUrl(endpoints[0]!) === normalizeRegistryUrl(mirror)) continue;
      out.push({
        message: `pulls from ${host} go to ${q(endpoints[0])} first (${via}); the checklist requires the mirror ${q(mirror)} first.`,
        evidence: { ...(via.startsWith('/') ? { file: via } : {}), path: host, observed: endpoints, expected: mirror },
      });
    }
    return out;
  },
});
