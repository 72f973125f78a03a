import { curlProxyFor } from '../../model/curl-proxy.js';
import { goProxyDecision } from '../../model/go-proxy.js';
import { redactUrl } from '../../parsers/redact.js';
import { defineRule } from '../types.js';
import { evidenceAt, place } from '../systemd-support.js';

/** Where containerd pulls docker.io images from; every registry host goes through the same decision. */
const PROBE = 'https://registry-1.docker.io';
const LOGIN = '/etc/environment, /etc/profile.d/*.sh';

export default defineRule({
  id: 'systemd/shell-env-divergence',
  title: 'Login shells and containerd see the same proxy settings',
  severity: 'info',
  mode: 'static',
  rationale:
    "crictl pull asks containerd to pull, and containerd uses the proxy of its own systemd environment; curl in a shell uses the login environment (/etc/environment, /etc/profile.d). When the two differ, curl works while crictl pull fails (or the reverse), and env in a shell shows nothing of containerd's proxy.",
  remediation:
    "Make the proxy settings of /etc/environment, /etc/profile.d and containerd's unit agree, or remove the stale ones; check containerd's with systemctl show -p Environment containerd.",
  references: [
    'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment%20Variables%20in%20Spawned%20Processes',
    'https://everything.curl.dev/usingcurl/proxies/env',
  ],
  applies: ({ model }) => (model.systemd.units['containerd.service']!.environment ? undefined : 'containerd.service would not start with an environment'),
  check: ({ model, checklist }) => {
    const env = model.systemd.units['containerd.service']!.environment!;
    const login = model.systemd.login.variables;
    const go = goProxyDecision(env, PROBE);
    const curl = curlProxyFor(login, PROBE);
    if (go.proxy === curl.proxy) return [];
    const goVar = go.variable ? env[go.variable] : undefined;
    const curlVar = curl.variable ? login[curl.variable] : undefined;
    const goDirect =
      go.direct === 'no-proxy'
        ? `NO_PROXY entry ${go.matched} exempts it`
        : go.direct === 'invalid'
          ? `${go.variable} from ${place(goVar!)} is not a URL Go accepts`
          : 'no proxy in its environment';
    const containerd = go.proxy
      ? `containerd.service sends ${PROBE} through ${go.proxy} (${go.variable}=${redactUrl(goVar!.value)} from ${place(goVar!)})`
      : `containerd.service connects to ${PROBE} directly (${goDirect})`;
    const shell = curl.proxy
      ? `curl in a login shell goes through ${curl.proxy} (${curl.variable}=${redactUrl(curlVar!.value)} from ${place(curlVar!)})`
      : `curl in a login shell connects directly (${curlVar ? `${curl.variable} from ${place(curlVar)} keeps it direct` : `no proxy in ${LOGIN}`})`;
    const why =
      go.proxy && !curl.proxy
        ? 'that is why curl works while crictl pull, which containerd performs with its own environment, fails when that proxy is gone'
        : !go.proxy
          ? 'so curl works where the network requires the proxy while crictl pull, which containerd performs, cannot reach the registry'
          : 'so curl and crictl pull take different paths';
    return [
      {
        message: `${containerd}, but ${shell}: ${why}.`,
        evidence: evidenceAt(
          goVar ?? curlVar!,
          go.proxy,
          curl.proxy,
          go.variable ? `/systemd/units/containerd.service/environment/${go.variable}` : `/systemd/login/variables/${curl.variable}`,
        ),
        // Under proxy policy none, making the two agree means removing containerd's proxy, not copying it to the shell.
        ...(go.proxy && checklist.proxy.policy === 'none'
          ? {
              fix: `Remove ${go.variable} and the other proxy variables from containerd.service (${place(goVar!)}; the checklist's proxy policy is none), then run systemctl daemon-reload and restart containerd.service.`,
            }
          : {}),
      },
    ];
  },
});
