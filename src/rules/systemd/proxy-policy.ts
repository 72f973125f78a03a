import { getEnvAny, parseProxyValue } from '../../model/go-proxy.js';
import { redactUrl } from '../../parsers/redact.js';
import { defineRule, type Violation } from '../types.js';
import { PROXY_VARIABLES, envPointer, evidenceAt, noEnvironmentReason, place, servicesWithEnvironment, type ServiceEnvironment } from '../systemd-support.js';

/** What Go does with each of the two proxy settings. */
const SETTINGS = [
  { names: ['HTTPS_PROXY', 'https_proxy'], requests: 'HTTPS requests (image pulls, API calls)' },
  { names: ['HTTP_PROXY', 'http_proxy'], requests: 'plain-HTTP requests' },
] as const;

/** policy none: no proxy variable at all. */
function noneViolations({ name, env }: ServiceEnvironment): Violation[] {
  return PROXY_VARIABLES.filter((v) => env[v] !== undefined && env[v].value !== '').map((v) => {
    const a = env[v]!;
    const setting = SETTINGS.find((s) => getEnvAny(env, ...s.names)?.name === v);
    const proxy = setting ? parseProxyValue(a.value) : null;
    const consequence = proxy?.ok ? `, so its ${setting!.requests} go through ${proxy.value}` : '';
    return {
      message: `${name} gets ${v}=${redactUrl(a.value)} from ${place(a)}${consequence}, but the checklist's proxy policy is none (no proxy variable in its environment).`,
      evidence: evidenceAt(a, redactUrl(a.value), 'unset', envPointer(name, v)),
      fix: `Remove ${v} from ${place(a)} (the checklist allows no proxy variable), then run systemctl daemon-reload and restart ${name}.`,
    };
  });
}

/** policy required: Go's HTTPS and HTTP proxy are the checklist's URL. */
function requiredViolations({ name, unit, env }: ServiceEnvironment, url: string, wanted: string): Violation[] {
  return SETTINGS.flatMap((s) => {
    const got = getEnvAny(env, ...s.names);
    if (!got) {
      return [
        {
          message: `${name} has no ${s.names[0]} (nor ${s.names[1]}), so its ${s.requests} go direct, but the checklist requires the proxy ${redactUrl(url)}.`,
          evidence: { file: unit.fragmentPath!, path: envPointer(name, s.names[0]), observed: null, expected: redactUrl(url) },
          fix: `Set ${s.names[0]}=${redactUrl(url)} in a drop-in of ${name} (Environment= in /etc/systemd/system/${name}.d/http-proxy.conf), then run systemctl daemon-reload and restart ${name}.`,
        },
      ];
    }
    const parsed = parseProxyValue(got.value);
    if (parsed.ok && parsed.value === wanted) return [];
    const a = env[got.name]!;
    const seen = parsed.ok ? `goes through ${parsed.value}` : 'is not a URL Go accepts, so Go ignores it';
    return [
      {
        message: `${name} gets ${got.name}=${redactUrl(got.value)} from ${place(a)}, which ${seen}, but the checklist requires the proxy ${redactUrl(url)} (${wanted}).`,
        evidence: evidenceAt(a, redactUrl(got.value), redactUrl(url), envPointer(name, got.name)),
        fix: `Set ${got.name} in ${place(a)} to the checklist's proxy ${redactUrl(url)}, then run systemctl daemon-reload and restart ${name}.`,
      },
    ];
  });
}

/** policy allowed: any proxy, as long as Go can use the value it reads. */
function allowedViolations({ name, env }: ServiceEnvironment): Violation[] {
  return SETTINGS.flatMap((s) => {
    const got = getEnvAny(env, ...s.names);
    const parsed = got ? parseProxyValue(got.value) : null;
    if (!got || !parsed || parsed.ok) return [];
    const a = env[got.name]!;
    return [
      {
        message: `${name} gets ${got.name}=${redactUrl(a.value)} from ${place(a)}, which Go cannot use (${parsed.error}), so it ignores the value and connects directly; the checklist allows a proxy, but only a valid one.`,
        evidence: evidenceAt(a, redactUrl(a.value), 'a proxy URL such as http://proxy.example:3128', envPointer(name, got.name)),
        fix: `Correct ${got.name} in ${place(a)} to a proxy URL Go accepts (such as http://proxy.example:3128), or remove it, then run systemctl daemon-reload and restart ${name}.`,
      },
    ];
  });
}

export default defineRule({
  id: 'systemd/proxy-policy',
  title: "containerd's and kubelet's proxy settings follow the checklist",
  severity: 'error',
  mode: 'static',
  rationale:
    'containerd and kubelet are Go programs that read HTTP_PROXY and HTTPS_PROXY (upper case first) from their systemd environment; a stale proxy in a forgotten drop-in breaks image pulls ("proxyconnect tcp: ... connection refused") while curl in a shell, which never sees that environment, still works.',
  remediation:
    "Make the service's proxy variables what the checklist's proxy policy says (none: remove them; required: the checklist's URL; allowed: a URL Go accepts) in the named file, then run systemctl daemon-reload and restart the service.",
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment', 'https://pkg.go.dev/golang.org/x/net/http/httpproxy'],
  // The checklist loader already refuses policy "required" without a url.
  applies: ({ model }) => (servicesWithEnvironment(model).length === 0 ? noEnvironmentReason(model) : undefined),
  check: ({ model, checklist }) => {
    const services = servicesWithEnvironment(model);
    const { policy, url } = checklist.proxy;
    if (policy === 'none') return services.flatMap(noneViolations);
    if (policy === 'allowed') return services.flatMap(allowedViolations);
    const wanted = parseProxyValue(url!);
    return services.flatMap((s) => requiredViolations(s, url!, wanted.ok ? wanted.value : url!));
  },
});
