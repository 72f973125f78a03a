import { goProxyDecision, goProxySettings, parseNoProxy, parseProxyValue, type NoProxyEntry, type ProxyDecision } from '../../model/go-proxy.js';
import { formatIp, parseCidr, parseIp } from '../../parsers/ip.js';
import type { Checklist } from '../../checklist/types.js';
import { defineRule, type Severity, type Violation } from '../types.js';
import { evidenceAt, noEnvironmentReason, place, servicesWithEnvironment, type ServiceEnvironment } from '../systemd-support.js';

/**
 * A destination a service may dial, why it matters, the NO_PROXY entry that
 * covers it, and how much a proxy in the way matters for that service.
 */
interface Target {
  url: string;
  why: string;
  entry: string;
  severity: Severity;
  /** For a recommendation (info, warning): why it is not an error. */
  because?: string;
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

/**
 * What each service dials, from the services' own code:
 * - kubelet dials the API server (client-go reads the proxy variables); its
 *   HTTP probes and lifecycle hooks use a transport with no proxy
 *   (pkg/probe/http: "We do not want the probe use node's local proxy set"),
 *   and it resolves no Service name, so pod and service addresses and
 *   Service names are only recommendations.
 * - containerd dials registries (the internal ones must be reached directly).
 *   The CNI plugins it starts inherit its environment, and those that call
 *   the API server (Calico's, through the kubernetes Service) then go through
 *   the proxy: the control-plane endpoint and the service CIDR are a warning.
 *   containerd dials no pod and no Service name.
 */
function targetsFor(service: string, checklist: Checklist): Target[] {
  const kubelet = service === 'kubelet.service';
  const out: Target[] = [];
  const cni = "CNI plugins that containerd starts inherit its environment, and those that call the API server (such as Calico's) would go through the proxy";
  for (const cidr of subnets(checklist.cluster.serviceSubnet)) {
    out.push({
      url: `https://${firstAddress(cidr)}`,
      why: `the kubernetes Service, first IP of serviceSubnet ${cidr}`,
      entry: cidr,
      ...(kubelet ? { severity: 'info', because: 'kubelet dials no Service address' } : { severity: 'warning', because: cni }),
    });
  }
  for (const cidr of subnets(checklist.cluster.podSubnet)) {
    out.push({
      url: `https://${firstAddress(cidr)}`,
      why: `a pod, first IP of podSubnet ${cidr}`,
      entry: cidr,
      severity: 'info',
      because: kubelet ? "kubelet's probes and lifecycle hooks never use the proxy" : 'containerd dials no pod',
    });
  }
  const endpoint = checklist.cluster.controlPlaneEndpoint;
  if (endpoint) {
    const entry = hostPart(endpoint)
      .replace(/:[0-9]+$/, '')
      .replace(/^\[(.*)\]$/, '$1');
    out.push({
      url: `https://${hostPart(endpoint)}`,
      why: 'the control-plane endpoint',
      entry,
      ...(kubelet ? { severity: 'error' } : { severity: 'warning', because: cni }),
    });
  }
  const names = kubelet ? 'kubelet resolves no Service name' : 'containerd resolves no Service name';
  out.push({ url: 'https://kubernetes.default.svc', why: "the API server's in-cluster name", entry: '.svc', severity: 'info', because: names });
  const domain = checklist.cluster.dnsDomain;
  out.push({
    url: `https://kubernetes.default.svc.${domain}`,
    why: `a Service name under .svc.${domain}`,
    entry: `.${domain}`,
    severity: 'info',
    because: names,
  });
  if (!kubelet) {
    for (const registry of checklist.registries.internal)
      out.push({ url: `https://${hostPart(registry)}`, why: 'an internal registry', entry: hostPart(registry).replace(/:[0-9]+$/, ''), severity: 'error' });
  }
  return out;
}

const subnets = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

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

function coverage({ name, env }: ServiceEnvironment, list: readonly Target[], forbidden: boolean): Violation[] {
  const noProxy = goProxySettings(env).noProxy;
  return list.flatMap((t): Violation[] => {
    const d = goProxyDecision(env, t.url);
    if (d.proxy === null) return [];
    const via = env[d.variable!]!;
    const missing = noProxy ? `NO_PROXY from ${place(env[noProxy.name]!)} has no entry that covers it${hint(noProxy.value, d)}` : 'there is no NO_PROXY';
    // Under proxy policy none the proxy itself goes (systemd/proxy-policy names each variable): no NO_PROXY advice.
    const advice = forbidden
      ? "the checklist's proxy policy is none, so the proxy itself must go"
      : t.because
        ? `adding ${t.entry} to NO_PROXY is recommended (${t.because})`
        : `add ${t.entry} to NO_PROXY`;
    return [
      {
        message: `${name} would send ${t.url} (${t.why}) through the proxy ${d.proxy} (${d.variable} from ${place(via)}): ${missing}; ${advice}.`,
        evidence: evidenceAt(
          noProxy ? env[noProxy.name]! : via,
          noProxy?.value ?? null,
          forbidden ? 'no proxy' : t.entry,
          `/systemd/units/${name}/environment/${noProxy?.name ?? 'NO_PROXY'}`,
        ),
        severity: t.severity,
        fix: forbidden
          ? `Remove ${d.variable} from ${place(via)} and the other proxy variables of ${name} (the checklist's proxy policy is none), then run systemctl daemon-reload and restart ${name}.`
          : `Add ${t.entry} to NO_PROXY (and no_proxy) in ${place(noProxy ? env[noProxy.name]! : via)}, then run systemctl daemon-reload and restart ${name}.`,
      },
    ];
  });
}

export default defineRule({
  id: 'systemd/no-proxy-coverage',
  title: 'NO_PROXY sends cluster-internal traffic direct',
  severity: 'error',
  mode: 'static',
  rationale:
    "With a proxy set, what each service dials inside the cluster must bypass it: kubelet the control-plane endpoint (errors), containerd the internal registries (errors) and, for the CNI plugins it starts, the API server (warnings); pod and service addresses and Service names are recommendations, since kubelet's probes skip the proxy and neither service resolves Service names. Go's NO_PROXY matching does not expand CIDRs to names, never matches domain entries against IP addresses, and supports no wildcards inside IPs.",
  remediation:
    "Add what the finding names to NO_PROXY (and no_proxy) in the file that sets it: for kubelet the control-plane endpoint, for containerd the internal registries and the API server's endpoint and service CIDR (under the checklist's proxy policy none, remove the proxy instead); then run systemctl daemon-reload and restart the service.",
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
  check: ({ model, checklist }) => servicesWithEnvironment(model).flatMap((s) => coverage(s, targetsFor(s.name, checklist), checklist.proxy.policy === 'none')),
});
