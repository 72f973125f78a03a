import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

const WHAT = { ca: 'CA certificate', cert: 'client certificate', key: 'client key' } as const;

export default defineRule({
  id: 'containerd/registry-ca-present',
  title: 'Every registry CA and client certificate path exists and holds PEM',
  severity: 'error',
  mode: 'static',
  rationale: 'A ca, ca_file or client path that does not exist or is not PEM makes every pull from that registry fail with a TLS error.',
  remediation: 'Install the certificate at the configured path (relative hosts.toml paths resolve against the host directory) or fix the path.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md'],
  applies: settingsUnknown,
  check: (ctx) =>
    containerdOf(ctx)
      .cri.registry.certFiles.filter((f) => f.state !== 'ok' || !f.pem)
      .map((f) => {
        const what = f.state === 'missing' ? 'does not exist' : f.state === 'ok' ? 'holds no PEM block' : 'cannot be read';
        // The Docker certs layout names its files by being there; a .cert names its .key.
        const named =
          f.source.file === f.path
            ? 'in the Docker certs layout'
            : f.kind === 'key' && f.source.file!.endsWith('.cert')
              ? `for ${f.source.file}`
              : `named in ${where(f.source)}`;
        return {
          message: `the ${WHAT[f.kind]} ${f.path} ${named} ${what}.`,
          evidence: { ...at(f.source), path: f.path, observed: f.state === 'ok' ? 'not PEM' : f.state, expected: 'a PEM file' },
        };
      }),
});
