import { goProxySettings, parseNoProxy, parseProxyValue, type GoVariable } from '../../model/go-proxy.js';
import { redactUrl } from '../../parsers/redact.js';
import { defineRule, type Violation } from '../types.js';
import { envPointer, evidenceAt, noEnvironmentReason, place, servicesWithEnvironment, type ServiceEnvironment } from '../systemd-support.js';

const PAIRS = [
  ['HTTP_PROXY', 'http_proxy'],
  ['HTTPS_PROXY', 'https_proxy'],
  ['NO_PROXY', 'no_proxy'],
] as const;

/** Upper- and lower-case variants that are both set and disagree: Go reads the upper, curl and others the lower. */
function caseConflicts({ name, env }: ServiceEnvironment, none: boolean): Violation[] {
  return PAIRS.flatMap(([upper, lower]) => {
    const u = env[upper];
    const l = env[lower];
    if (!u || !l || u.value === '' || l.value === '' || u.value === l.value) return [];
    return [
      {
        message: `${name} sets ${upper}=${redactUrl(u.value)} (${place(u)}) and ${lower}=${redactUrl(l.value)} (${place(l)}); Go uses ${upper}, curl and other tools may use ${lower}, so they must agree.`,
        evidence: evidenceAt(l, redactUrl(l.value), redactUrl(u.value), envPointer(name, lower)),
        fix: none
          ? `Remove ${upper} (${place(u)}) and ${lower} (${place(l)}) from ${name} (the checklist's proxy policy is none), then run systemctl daemon-reload and restart ${name}.`
          : `Give ${lower} (${place(l)}) the value of ${upper} (${place(u)}), or remove it, then run systemctl daemon-reload and restart ${name}.`,
      },
    ];
  });
}

/** A setting as Go uses it, comparable across services: the proxy's dial address, or NO_PROXY's sorted entries. */
function effective(setting: 'http' | 'https' | 'noProxy', v: GoVariable | null): string {
  if (v === null) return '';
  if (setting === 'noProxy') return [...new Set(parseNoProxy(v.value).map((e) => e.text))].sort().join(',');
  const parsed = parseProxyValue(v.value);
  return parsed.ok ? parsed.value : '';
}

const LABEL = { http: 'HTTP proxy', https: 'HTTPS proxy', noProxy: 'NO_PROXY' } as const;

function describe(s: ServiceEnvironment, setting: keyof typeof LABEL, v: GoVariable | null, value: string): string {
  if (value === '') return `${s.name} has ${setting === 'noProxy' ? 'no NO_PROXY' : `no ${LABEL[setting]} (it connects directly)`}`;
  return `${s.name} has the ${LABEL[setting]} ${setting === 'noProxy' ? JSON.stringify(v!.value) : value} (${v!.name} from ${place(s.env[v!.name]!)})`;
}

export default defineRule({
  id: 'systemd/proxy-consistency',
  title: 'containerd and kubelet get the same proxy settings',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Different proxy settings for containerd and kubelet, or upper- and lower-case variables that disagree, make image pulls and API calls take different paths depending on which program sends them and which variable it reads first. A proxy for containerd alone is consistent: kubelet then reaches the API server, the only thing it dials through a proxy, directly.',
  remediation: 'Set the same HTTP_PROXY, HTTPS_PROXY and NO_PROXY for both services (one shared drop-in or environment file), in one case only.',
  references: ['https://pkg.go.dev/golang.org/x/net/http/httpproxy#FromEnvironment'],
  applies: ({ model }) => (servicesWithEnvironment(model).length === 0 ? noEnvironmentReason(model) : undefined),
  check: ({ model, checklist }) => {
    const services = servicesWithEnvironment(model);
    // Under proxy policy none, agreeing means no proxy at all: the fix removes the variables rather than copying them.
    const none = checklist.proxy.policy === 'none';
    const out = services.flatMap((s) => caseConflicts(s, none));
    if (services.length < 2) return out;
    const [a, b] = services as [ServiceEnvironment, ServiceEnvironment];
    const sa = goProxySettings(a.env);
    const sb = goProxySettings(b.env);
    // kubelet dials only the API server over HTTPS (its probes skip the proxy): without an HTTPS
    // proxy it reaches everything directly, so a proxy for containerd alone (kubespray's design) is
    // no inconsistency.
    if (effective('https', sb.https) === '') return out;
    for (const setting of ['https', 'http', 'noProxy'] as const) {
      const va = effective(setting, sa[setting]);
      const vb = effective(setting, sb[setting]);
      if (va === vb) continue;
      const set = sa[setting] ? { s: a, v: sa[setting] } : { s: b, v: sb[setting]! };
      out.push({
        message: `${describe(a, setting, sa[setting], va)}, but ${describe(b, setting, sb[setting], vb)}; image pulls and API calls take different paths.`,
        evidence: evidenceAt(
          set.s.env[set.v.name]!,
          redactUrl(set.v.value),
          `the same ${LABEL[setting]} for containerd.service and kubelet.service`,
          envPointer(set.s.name, set.v.name),
        ),
        ...(none
          ? {
              fix: `Remove the proxy variables from ${a.name} and ${b.name} (the checklist's proxy policy is none), then run systemctl daemon-reload and restart both.`,
            }
          : {}),
      });
    }
    return out;
  },
});
