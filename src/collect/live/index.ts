import { join } from 'node:path';
import { DEFAULT_CHECKLIST } from '../../checklist/defaults.js';
import { deriveTargets } from '../../checklist/targets.js';
import type { Checklist } from '../../checklist/types.js';
import { buildModel } from '../../model/build.js';
import { goProxySettings } from '../../model/go-proxy.js';
import { buildLive, containerdEnvironment, KUBELET_PORT, LIVE_UNIT, PROBE, proxyEndpoints, SYSTEMCTL_PROPERTIES, type LiveModel } from '../../model/live.js';
import type { Redactor } from '../../parsers/redact.js';
import { criticalImages, fullReference, registryHosts } from '../../rules/runtime-support.js';
import type { CommandResult, Snapshot } from '../../snapshot/types.js';
import { redactorOf } from '../snapshot.js';
import { redactProbeOutput } from '../secrets/index.js';
import { probeConnect, probeLookup, runCommand, type ProbeContext } from './probes.js';

/** Options for {@link collectLive}. */
export interface LiveOptions {
  /** The checklist whose critical images and mirrors are probed (default: the embedded one). */
  checklist?: Checklist;
  /** containerd's socket path; default: the gRPC address of the static model. */
  containerdAddress?: string;
  /** The config file `containerd config dump` reads; default: the file containerd.service starts containerd with, under the snapshot's root (no dump when it is missing). */
  containerdConfig?: string;
  /** Pull missing critical images through the CRI (writes to the image store). */
  pull?: boolean;
  /** The target Kubernetes version (`--kubernetes-version`), which decides the sandbox image probed. */
  kubernetesVersion?: string;
  /** Timeout of one probe in milliseconds (default 5000; pulls get 30 times as long). */
  probeTimeoutMs?: number;
  /** Bound on the whole live phase in milliseconds (default 30000, or 300000 with pull). */
  deadlineMs?: number;
  /** PATH the tools are looked up in (default: the standard system PATH). */
  path?: string;
  /** Makes the markers (default: the one the snapshot's files were redacted with, so equal secrets stay equal). */
  redactor?: Redactor;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Run the live probes of `--online` and record every result in
 * `snapshot.commands` (argv, exit code, output with secrets redacted), so the
 * findings can be re-evaluated from the saved snapshot. Probes run with argv
 * only (never a shell), each with its own timeout, the whole phase bounded by
 * a deadline; a missing tool is recorded, never thrown.
 *
 * The probes look at the machine this runs on; the snapshot's files (its
 * root) only say where to look (the socket, the proxies, the registries). The
 * CLI therefore refuses `--online` unless the root is `/`; tests point the
 * probes at their own containerd with `containerdAddress` and
 * `containerdConfig`.
 */
export async function collectLive(snapshot: Snapshot, options: LiveOptions = {}): Promise<Snapshot> {
  snapshot.online = true;
  const checklist = options.checklist ?? DEFAULT_CHECKLIST;
  const model = buildModel(snapshot, { containerdVersion: checklist.containerdVersion });
  const targets = deriveTargets(checklist, { model, ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}) });
  const socket = options.containerdAddress ?? model.containerd.grpcAddress.value;
  // Without a config file the daemon runs its defaults, but `config dump` would fail on the missing file.
  const config = options.containerdConfig ?? (model.containerd.configFile.state === 'missing' ? null : join(snapshot.root, model.containerd.configFile.path));
  const pull = options.pull ?? false;
  const timeoutMs = options.probeTimeoutMs ?? 5000;
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(), options.deadlineMs ?? (pull ? 300_000 : 30_000));
  const ctx: ProbeContext = { timeoutMs, signal: abort.signal, env: { PATH: options.path ?? SYSTEM_PATH, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' } };
  const commands: Record<string, CommandResult> = {};
  const redactor = options.redactor ?? redactorOf(snapshot);
  // Probe output is redacted as it arrives: `crictl info` prints the CRI plugin's whole configuration, registry passwords included.
  const record = async (name: string, probe: Promise<CommandResult>): Promise<CommandResult> => {
    const r = await probe;
    commands[name] = { ...r, stdout: redactProbeOutput(name, r.stdout, redactor), stderr: redactProbeOutput(name, r.stderr, redactor) };
    return commands[name];
  };
  const ctr = (...args: string[]): string[] => ['ctr', '--address', socket, '--connect-timeout', `${Math.max(1, Math.floor(timeoutMs / 1000))}s`, ...args];

  try {
    await Promise.all([
      record(PROBE.systemctlShow, runCommand(['systemctl', 'show', '--no-pager', LIVE_UNIT, ...SYSTEMCTL_PROPERTIES.map((p) => `--property=${p}`)], ctx)),
      record(PROBE.socketConnect, probeConnect(['unix-connect', socket], { path: socket }, ctx)),
      record(PROBE.version, runCommand(ctr('version'), ctx)),
      // The installed binary's release decides containerd's built-in defaults when the checklist names none.
      record(PROBE.binaryVersion, runCommand(['containerd', '--version'], ctx)),
      record(
        PROBE.crictlInfo,
        runCommand(['crictl', '--runtime-endpoint', `unix://${socket}`, '--timeout', `${Math.max(1, Math.floor(timeoutMs / 1000))}`, 'info'], ctx),
      ).then(async (info) => {
        // Without crictl, ctr tells whether the CRI plugin loaded (not whether it is RuntimeReady).
        if (info.error?.code !== 'ENOENT') return;
        const ls = await record(PROBE.plugins, runCommand(ctr('plugins', 'ls'), ctx));
        if (/^io\.containerd\.grpc\.v1\s+cri\s+\S+\s+(?!ok\b)\S+/m.test(ls.stdout))
          await record(PROBE.criPluginDetail, runCommand(ctr('plugins', 'ls', '-d', 'id==cri'), ctx));
      }),
      ...(config === null ? [] : [record(PROBE.configDump, runCommand(['containerd', '--config', config, 'config', 'dump'], ctx))]),
      record(PROBE.images, runCommand(ctr('-n', 'k8s.io', 'images', 'ls', '-q'), ctx)),
      record(PROBE.listeners, runCommand(['ss', '-H', '-l', '-t', '-n', `sport = :${KUBELET_PORT}`], ctx)),
      record(PROBE.timedatectl, runCommand(['timedatectl', 'show', '--property=NTPSynchronized', '--value'], ctx)).then(async (td) => {
        if (td.exitCode !== 0) await record(PROBE.chronyc, runCommand(['chronyc', '-n', 'tracking'], ctx));
      }),
      ...registryHosts(model, checklist, targets).map((h) => record(PROBE.dns(h.host), probeLookup(h.host, ctx))),
    ]);

    // Second round: what the first one decides (the running environment's proxies, the images to pull).
    const partial = buildLive({ ...snapshot, commands })!;
    const second: Promise<unknown>[] = proxyEndpoints(model.systemd, partial)
      .map((p) => p.hostPort)
      .filter((hp, i, all) => all.indexOf(hp) === i)
      .map((hp) => {
        const colon = hp.lastIndexOf(':');
        return record(
          PROBE.tcp(hp),
          probeConnect(['tcp-connect', hp], { host: hp.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(hp.slice(colon + 1)) }, ctx),
        );
      });
    const listed = partial.images.listed!;
    if (pull && listed.state === 'ok') {
      const present = new Set(listed.refs);
      const crictl = commands[PROBE.crictlInfo]!.error?.code !== 'ENOENT';
      const env = containerdProxyEnv(model, partial);
      for (const ref of criticalImages(checklist, targets).filter((r) => !present.has(fullReference(r)) && !present.has(r))) {
        const argv = crictl ? ['crictl', '--runtime-endpoint', `unix://${socket}`, 'pull', ref] : ctr('-n', 'k8s.io', 'images', 'pull', ref);
        // ctr pulls in its own process: give it containerd's proxy settings, as the CRI would use them.
        second.push(record(PROBE.pull(ref), runCommand(argv, { ...ctx, timeoutMs: timeoutMs * 30 }, crictl ? {} : env)));
      }
    }
    await Promise.all(second);
  } finally {
    clearTimeout(deadline);
  }
  snapshot.commands = Object.fromEntries(Object.entries({ ...snapshot.commands, ...commands }).sort(([a], [b]) => (a < b ? -1 : 1)));
  return snapshot;
}

/** The proxy variables containerd runs with, for a ctr pull to use the same proxy. */
function containerdProxyEnv(model: ReturnType<typeof buildModel>, live: LiveModel): Record<string, string> {
  const s = goProxySettings(containerdEnvironment(model.systemd, live));
  return Object.fromEntries([s.http, s.https, s.noProxy].filter((v) => v !== null).map((v) => [v.name, v.value]));
}
