import { LIVE_UNIT, proxyEndpoints } from '../../model/live.js';
import { defineRule, type Violation } from '../types.js';
import { liveOf } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/proxy-reachable',
  title: "Every proxy in containerd's environment accepts connections",
  severity: 'error',
  mode: 'live',
  rationale: 'A dead proxy makes every image pull fail with "proxyconnect tcp: ... connection refused".',
  remediation: "Start the proxy, or remove it from containerd's environment and restart containerd.",
  references: ['https://pkg.go.dev/net/http#ProxyFromEnvironment'],
  applies: ({ model }) => {
    const proxies = proxyEndpoints(model.systemd, liveOf(model));
    if (proxies.length === 0) return `${LIVE_UNIT}'s environment sets no proxy that Go would use, so there is nothing to connect to`;
    const tcp = liveOf(model).tcp;
    return proxies.every((p) => tcp[p.hostPort]?.state === 'unavailable' || !tcp[p.hostPort])
      ? `No proxy connection could be tried: ${proxies.map((p) => `${p.hostPort}: ${tcp[p.hostPort]?.detail ?? 'not probed in this snapshot'}`).join('; ')}`
      : undefined;
  },
  check: ({ model, checklist }) => {
    const tcp = liveOf(model).tcp;
    return proxyEndpoints(model.systemd, liveOf(model)).flatMap((p): Violation[] => {
      const outcome = tcp[p.hostPort];
      if (outcome?.state !== 'failed') return [];
      const set =
        p.origin === 'unit' ? `from ${p.file}:${p.line}` : `in the Environment= the running systemd has loaded (systemctl show ${LIVE_UNIT} -p Environment)`;
      return [
        {
          message: `${LIVE_UNIT} gets ${p.variable} ${set}, and its proxy ${p.address} does not accept a TCP connection (${outcome.detail}); image pulls through it fail with "proxyconnect tcp: dial tcp ${p.hostPort}: connect: ${outcome.detail}".`,
          evidence: {
            ...(p.origin === 'unit' ? { file: p.file, line: p.line } : {}),
            path: `/live/tcp/${p.hostPort}`,
            observed: outcome.detail,
            expected: 'a TCP connection',
          },
          // Under proxy policy none, starting the proxy is the wrong fix: the variable goes.
          fix:
            checklist.proxy.policy === 'none'
              ? `Remove ${p.variable} (${set}) and the other proxy variables from ${LIVE_UNIT} (the checklist's proxy policy is none), then run systemctl daemon-reload and restart ${LIVE_UNIT}.`
              : `Start the proxy at ${p.address}, or remove ${p.variable} (${set}) from ${LIVE_UNIT}'s environment, then run systemctl daemon-reload and restart ${LIVE_UNIT}.`,
        },
      ];
    });
  },
});
