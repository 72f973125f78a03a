import { containerdEnvironment } from '../../model/live.js';
import { proxyFor } from '../../model/go-proxy.js';
import { defineRule, type RuleContext, type Violation } from '../types.js';
import { liveOf, registryHosts, type RegistryHost } from '../runtime-support.js';

/** The hosts containerd resolves itself: those it reaches without a proxy (a proxy resolves the others). */
function directHosts({ model, checklist, targets }: RuleContext): RegistryHost[] {
  const env = containerdEnvironment(model.systemd, liveOf(model));
  return registryHosts(model, checklist, targets).filter((h) => proxyFor(env, h.url).proxy === null);
}

export default defineRule({
  id: 'runtime/registries-resolve',
  title: 'The registries of the critical images resolve',
  severity: 'error',
  mode: 'live',
  rationale: 'Pulls fail with "dial tcp: lookup ... i/o timeout" when the node\'s resolver cannot resolve a registry or mirror.',
  remediation: "Fix the node's DNS (resolv.conf, systemd-resolved) so the registries resolve.",
  references: ['https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/'],
  applies: (ctx) => {
    const hosts = directHosts(ctx);
    if (hosts.length === 0) return 'containerd resolves no registry host itself: every one is an IP address or reached through its proxy';
    const dns = liveOf(ctx.model).dns;
    const tried = hosts.filter((h) => dns[h.host] && dns[h.host]!.state !== 'unavailable');
    return tried.length === 0 ? `No registry host was looked up in this snapshot (${hosts.map((h) => h.host).join(', ')})` : undefined;
  },
  check: (ctx) => {
    const dns = liveOf(ctx.model).dns;
    return directHosts(ctx).flatMap((h): Violation[] => {
      const outcome = dns[h.host];
      if (outcome?.state !== 'failed') return [];
      return [
        {
          message: `${h.host} (${h.url}, for ${h.registry}, from ${h.via}) does not resolve through the node's resolver (${outcome.detail}); pulls from it fail with "dial tcp: lookup ${h.host}".`,
          evidence: { path: `/live/dns/${h.host}`, observed: outcome.detail, expected: 'an address' },
        },
      ];
    });
  },
});
