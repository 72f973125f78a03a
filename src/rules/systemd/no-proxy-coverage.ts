import { goProxyDecision, goProxySettings, parseNoProxy, parseProxyValue, type NoProxyEntry, type ProxyDecision } from '../../model/go-proxy.js';
import { formatIp, parseCidr, parseIp } from '../../parsers/ip.js';
import type { Checklist } from '../../checklist/types.js';
import { defineRule, type Violation } from '../types.js';
import { evidenceAt, noEnvironmentReason, place, servicesWithEnvironment, type ServiceEnvironment } from '../systemd-support.js';

/** A destination that must not go through the proxy, why, and what NO_PROXY entry covers it. */
interface Target {
  url: string;
  why: string;
  entry: string;
}

/** The first address of a CIDR (network + 1), the address Kubernetes gives the API server's Service. */
function firstAddress(text: string): string {
  // The checklist loader has checked that the subnets are CIDRs.
  const cidr = parseCidr(text)!;
  const bytes = Uint8Array.from(cidr.network);
  for (let i = 15; i >= 0 && ++bytes[i]! === 256; i--) bytes[i] = 0;
  const ip = formatIp({ bytes, v4: cidr.v4 });
  return cidr.v4 ? ip : `[${ip}]`;
}

/** Host of an endpoint or registry written as host, host:port or a URL. */
const hostPart = (s: string): string => s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0]!;

/** Every cluster-internal destination the checklist implies (spec §6.6). */
function targets(checklist: Checklist): Target[] {
  const out: Target[] = [];
  for (const [key, why] of [['serviceSubnet', 'the kubernetes Service, first IP of serviceSubnet'], ['podSubnet', 'a pod, first IP of podSubnet']] as const) {
    for (const cidr of (checklist.cluster[key] ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
      out.push({ url: `https://${firstAddress(cidr)}`, why: `${why} ${cidr}`, entry: cidr });
    }
  }
  const endpoint = checklist.cluster.controlPlaneEndpoint;
  if (endpoint) out.push({ url: `https://${hostPart(endpoint)}`, why: 'the control-plane endpoint', entry: hostPart(endpoint).replace(/:[0-9]+$/, '').replace(/^\[(.*)\]$/, '$1') });
  out.push({ url: 'https://kubernetes.default.svc', why: "the API server's in-cluster name", entry: '.svc' });
  const domain = checklist.cluster.dnsDomain;
  out.push({ url: `https://kubernetes.default.svc.${domain}`, why: `a Service name under .svc.${domain}`, entry: `.${domain}` });
  for (const registry of checklist.registries.internal) out.push({ url: `https://${hostPart(registry)}`, why: 'an internal registry', entry: hostPart(registry).replace(/:[0-9]+$/, '') });
  return out;
}

/** Why NO_PROXY's entries miss a target, where Go's rules differ from what people expect. */
function hint(noProxy: string, d: ProxyDecision): string {
  const { host, port } = d.target!;
  const ip = parseIp(host.replace(/%.*$/, ''));
  const entries = parseNoProxy(noProxy).filter((e): e is Extract<NoProxyEntry, { kind: 'domain' }> => e.kind === 'domain');
  if (ip) {
    // An entry like 10.96.* reads as a wildcard to people; Go takes it as a domain that no IP ever matches.
    const wildcard = entries.find((e) => /^[0-9.]+\*/.test(e.text) && host.startsWith(e.text.slice(0, e.text.indexOf('*'))));
    if (wildcard) return ` (${wildcard.text} is not a wildcard to Go: wildcards inside IP addresses are not supported)`;
    const domain = entries.find((e) => `.${host}`.endsWith(e.suffix));
    if (domain) return ` (${domain.text} is a domain entry, and Go never matches domain entries against IP addresses)`;
    return '';
  }
  const ported = entries.find((e) => e.port !== '' && e.port !== port && (host.endsWith(e.suffix) || (e.matchHost && host === e.suffix.slice(1))));
  if (ported) return ` (${ported.text} covers only port ${ported.port})`;
  if (parseNoProxy(noProxy).some((e) => e.kind === 'cidr')) return ' (CIDR entries never cover host names: Go does not resolve names for NO_PROXY)';
  return '';
}

function coverage({ name, env }: ServiceEnvironment, list: readonly Target[]): Violation[] {
  const noProxy = goProxySettings(env).noProxy;
  return list.flatMap((t) => {
    const d = goProxyDecision(env, t.url);
    if (d.proxy === null) return [];
    const via = env[d.variable!]!;
    const missing = noProxy
      ? `NO_PROXY from ${place(env[noProxy.name]!)} has no entry that covers it${hint(noProxy.value, d)}`
      : 'there is no NO_PROXY';
    return [{
      message: `${name} would send ${t.url} (${t.why}) through the proxy ${d.proxy} (${d.variable} from ${place(via)}): ${missing}; add ${t.entry} to NO_PROXY.`,
      evidence: evidenceAt(noProxy ? env[noProxy.name]! : via, noProxy?.value ?? null, t.entry, `/systemd/units/${name}/environment/${noProxy?.name ?? 'NO_PROXY'}`),
    }];
  });
}

export default defineRule({
  id: 'systemd/no-proxy-coverage',
  title: 'NO_PROXY sends cluster-internal traffic direct',
  severity: 'error',
  mode: 'static',
  rationale:
    "With a proxy set, traffic to pod and service IPs, the control-plane endpoint, Service names and internal registries must bypass it; Go's NO_PROXY matching does not expand CIDRs to names, never matches domain entries against IP addresses, and supports no wildcards inside IPs.",
  remediation:
    'Add the pod and service CIDRs, the control-plane endpoint, node addresses, .svc, the cluster domain (.cluster.local) and internal registries to NO_PROXY in the file that sets it, then run systemctl daemon-reload and restart the service.',
  references: [
    'https://pkg.go.dev/golang.org/x/net/http/httpproxy#Config',
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/',
  ],
  applies: ({ model }) => {
    const services = servicesWithEnvironment(model);
    if (services.length === 0) return noEnvironmentReason(model);
    const proxied = services.some(({ env }) => {
      const https = goProxySettings(env).https;
      return https !== null && parseProxyValue(https.value).ok;
    });
    return proxied ? undefined : 'neither containerd.service nor kubelet.service has an HTTPS proxy';
  },
  check: ({ model, checklist }) => {
    const list = targets(checklist);
    return servicesWithEnvironment(model).flatMap((s) => coverage(s, list));
  },
});
