/**
 * How curl in a login shell picks a proxy, for comparison with Go
 * (https://everything.curl.dev/usingcurl/proxies/env): lower case first
 * (`https_proxy`, then `HTTPS_PROXY`), plain http only from lower-case
 * `http_proxy`, `all_proxy`/`ALL_PROXY` as the fallback Go does not have, a
 * default proxy port of 1080, and `no_proxy` entries that match a host name or
 * its subdomains (a leading dot is ignored), `*`, IP addresses and CIDRs.
 */
import { cidrContains, parseCidr, parseIp } from '../parsers/ip.js';
import { getEnvAny, parseGoUrl, type EnvironmentInput } from './go-proxy.js';

/** Whether curl's no_proxy list covers a host. */
function noProxyCovers(list: string, host: string): boolean {
  const ip = parseIp(host);
  return list
    .split(/[,\s]+/)
    .map((e) => e.toLowerCase().replace(/^\./, ''))
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const cidr = parseCidr(entry);
      if (cidr) return ip !== null && cidrContains(cidr, ip);
      return host === entry || host.endsWith(`.${entry}`);
    });
}

/** The proxy curl uses for `target` (a URL, or a host taken as https) in `env`, as `scheme://host:port`, or null. */
export function curlProxyFor(env: EnvironmentInput, target: string): { proxy: string | null; variable?: string } {
  if (!getEnvAny(env, 'https_proxy', 'HTTPS_PROXY', 'http_proxy', 'all_proxy', 'ALL_PROXY')) return { proxy: null };
  const url = parseGoUrl(target.includes('://') ? target : `https://${target}`);
  if (!url.ok) return { proxy: null };
  const names = url.value.scheme === 'https' ? ['https_proxy', 'HTTPS_PROXY'] : url.value.scheme === 'http' ? ['http_proxy'] : [];
  const variable = getEnvAny(env, ...names, 'all_proxy', 'ALL_PROXY');
  if (!variable) return { proxy: null };
  const noProxy = getEnvAny(env, 'no_proxy', 'NO_PROXY');
  const host = url.value.host
    .replace(/:[0-9]*$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (noProxy && noProxyCovers(noProxy.value, host)) return { proxy: null, variable: noProxy.name };
  const proxy = parseGoUrl(variable.value.includes('://') ? variable.value : `http://${variable.value}`);
  if (!proxy.ok || proxy.value.host === '') return { proxy: null, variable: variable.name };
  const port = /:([0-9]+)$/.exec(proxy.value.host)?.[1] ?? '1080';
  const proxyHost = proxy.value.host.replace(/:[0-9]*$/, '');
  return { proxy: `${proxy.value.scheme}://${proxyHost}:${port}`, variable: variable.name };
}
