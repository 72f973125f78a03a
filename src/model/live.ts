/**
 * The live part of the NodeModel: what the probes of `--online` saw, read
 * only from `snapshot.commands` (never by running anything), so a saved
 * snapshot gives the same findings on any machine.
 */
import { getEnvAny, parseProxyValue } from './go-proxy.js';
import { splitWords } from '../parsers/systemd-unit.js';
import { parseToml } from '../parsers/toml.js';
import type { CommandResult, Snapshot } from '../snapshot/types.js';
import type { ContainerdModel } from './types/containerd.js';
import type { LiveModel, LiveSystemd, ProbeOutcome } from './types/live.js';
import type { SystemdModel } from './types/systemd.js';
import { crictlFacts, dumpFacts } from './live-facts.js';

export type { ContainerdFacts, LiveModel, LiveSystemd, ProbeOutcome } from './types/live.js';
export { crictlFacts, dumpFacts, modelFacts } from './live-facts.js';

/** The unit the live systemd probe asks about. */
export const LIVE_UNIT = 'containerd.service';

/** The kubelet port `runtime/port-10250-free` looks at. */
export const KUBELET_PORT = 10250;

/**
 * Names of the live probes in `snapshot.commands`. Probes that are not
 * commands (a TCP or unix-socket connection, a DNS lookup) are recorded the
 * same way with a synthetic argv (`["tcp-connect", "host:port"]`).
 */
export const PROBE = {
  systemctlShow: `systemctl-show:${LIVE_UNIT}`,
  socketConnect: 'unix-connect',
  version: 'ctr-version',
  binaryVersion: 'containerd-version',
  crictlInfo: 'crictl-info',
  plugins: 'ctr-plugins',
  criPluginDetail: 'ctr-plugin-cri',
  configDump: 'containerd-config-dump',
  images: 'ctr-images',
  listeners: `listeners:${KUBELET_PORT}`,
  timedatectl: 'timedatectl',
  chronyc: 'chronyc-tracking',
  tcp: (hostPort: string) => `tcp-connect:${hostPort}`,
  dns: (host: string) => `dns-lookup:${host}`,
  pull: (ref: string) => `image-pull:${ref}`,
} as const;

/** The properties `systemctl show` is asked for. */
export const SYSTEMCTL_PROPERTIES = [
  'LoadState',
  'ActiveState',
  'SubState',
  'Environment',
  'NeedDaemonReload',
  'MainPID',
  'ExecMainStartTimestamp',
  'FragmentPath',
  'DropInPaths',
] as const;

/** The first non-empty line of a text. */
const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';

/** How a command went: ok on exit 0, unavailable when it could not run, failed otherwise (a timeout included). */
export function outcomeOf(probe: string, r: CommandResult): ProbeOutcome {
  // No answer in time is an answer: a hung containerd, a proxy or DNS server that drops packets.
  if (r.error?.code === 'ETIMEDOUT') return { probe, state: 'failed', detail: `i/o timeout (${r.error.message})` };
  if (r.error) return { probe, state: 'unavailable', detail: unavailableDetail(r) };
  if (r.exitCode === 0) return { probe, state: 'ok', detail: '' };
  return { probe, state: 'failed', detail: firstLine(r.stderr) || firstLine(r.stdout) || `exit code ${r.exitCode}` };
}

function unavailableDetail(r: CommandResult): string {
  const tool = r.argv[0]!;
  if (r.error!.code === 'ENOENT') return `${tool} is not installed (not found on PATH)`;
  return `${r.argv.join(' ')}: ${r.error!.message}`;
}

/** The major.minor of the containerd binary (`containerd --version`), or null when it was not asked or did not say. */
export function binaryContainerdVersion(snapshot: Snapshot): string | null {
  const r = snapshot.commands[PROBE.binaryVersion];
  // "containerd github.com/containerd/containerd v1.7.24 <commit>", "containerd containerd.io 1.6.20 <commit>", Debian's "1.6.20~ds1".
  const m = r && r.exitCode === 0 ? /^containerd\s+\S+\s+v?(\d+)\.(\d+)/.exec(r.stdout) : null;
  return m ? `${m[1]}.${m[2]}` : null;
}

/** Parse `systemctl show` output (Key=Value lines). */
export function parseShow(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** "Sun 2026-11-22 10:39:58 UTC" (systemctl run with TZ=UTC) → ms since the epoch. */
export function parseUtcTimestamp(text: string): number | null {
  const m = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/.exec(text.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : null;
}

function buildSystemdLive(snapshot: Snapshot): LiveSystemd | null {
  const r = snapshot.commands[PROBE.systemctlShow];
  if (!r) return null;
  const outcome = outcomeOf(PROBE.systemctlShow, r);
  const show = outcome.state === 'ok' ? parseShow(r.stdout) : new Map<string, string>();
  const get = (k: string): string | null => show.get(k) ?? null;
  const environment: Record<string, string> = {};
  // systemctl quotes and C-escapes entries that need it, as Environment= itself is written.
  for (const word of splitWords(get('Environment') ?? '', true).words) {
    const eq = word.text.indexOf('=');
    if (eq > 0) environment[word.text.slice(0, eq)] = word.text.slice(eq + 1);
  }
  const pid = Number(get('MainPID'));
  const dropIns = get('DropInPaths');
  return {
    outcome,
    loadState: get('LoadState'),
    activeState: get('ActiveState'),
    subState: get('SubState'),
    environment,
    needDaemonReload: show.has('NeedDaemonReload') ? get('NeedDaemonReload') === 'yes' : null,
    mainPid: Number.isInteger(pid) && pid > 0 ? pid : null,
    startedAtMs: parseUtcTimestamp(get('ExecMainStartTimestamp') ?? ''),
    fragmentPath: get('FragmentPath') || null,
    dropInPaths: dropIns === null ? null : dropIns.split(' ').filter((p) => p !== ''),
  };
}

function buildCri(snapshot: Snapshot): LiveModel['cri'] {
  const info = snapshot.commands[PROBE.crictlInfo];
  if (info && !info.error) {
    const outcome = outcomeOf(PROBE.crictlInfo, info);
    if (outcome.state !== 'ok') return { via: 'crictl', plugin: 'missing', runtimeReady: null, detail: outcome.detail, probe: PROBE.crictlInfo, running: null };
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(info.stdout) as Record<string, unknown>;
    } catch {
      return { via: 'crictl', plugin: 'unknown', runtimeReady: null, detail: 'crictl info printed no JSON', probe: PROBE.crictlInfo, running: null };
    }
    const conditions = (parsed.status as { conditions?: { type: string; status: boolean; reason?: string; message?: string }[] } | undefined)?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'RuntimeReady');
    const detail = ready && !ready.status ? [ready.reason, ready.message].filter(Boolean).join(': ') : '';
    const config = parsed.config;
    return {
      via: 'crictl',
      plugin: 'loaded',
      runtimeReady: ready ? ready.status === true : null,
      detail,
      probe: PROBE.crictlInfo,
      running: config && typeof config === 'object' ? crictlFacts(config as Record<string, unknown>) : null,
    };
  }
  const ls = snapshot.commands[PROBE.plugins];
  if (!ls) return { via: null, plugin: 'unknown', runtimeReady: null, detail: 'neither crictl info nor ctr plugins ls was run', probe: null, running: null };
  const outcome = outcomeOf(PROBE.plugins, ls);
  if (outcome.state !== 'ok') return { via: 'ctr', plugin: 'unknown', runtimeReady: null, detail: outcome.detail, probe: PROBE.plugins, running: null };
  // TYPE ID PLATFORMS STATUS; the CRI plugin is io.containerd.grpc.v1 cri (1.x, 2.x).
  const row = ls.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((cols) => cols[0] === 'io.containerd.grpc.v1' && cols[1] === 'cri');
  if (!row)
    return {
      via: 'ctr',
      plugin: 'missing',
      runtimeReady: null,
      detail: 'the cri plugin is not among the plugins containerd loaded',
      probe: PROBE.plugins,
      running: null,
    };
  const status = row[row.length - 1]!;
  if (status === 'ok') return { via: 'ctr', plugin: 'loaded', runtimeReady: null, detail: '', probe: PROBE.plugins, running: null };
  const d = snapshot.commands[PROBE.criPluginDetail];
  // ctr plugins ls -d prints "Error:" then indented "Code:" and "Message:" lines.
  const block = d ? d.stdout.slice(Math.max(0, d.stdout.search(/^Error:/m))) : '';
  const error = /^\s*Message:\s*(.*)$/m.exec(block)?.[1]?.trim();
  return {
    via: 'ctr',
    plugin: 'error',
    runtimeReady: null,
    detail: error ?? `status ${status}`,
    probe: d ? PROBE.criPluginDetail : PROBE.plugins,
    running: null,
  };
}

function byPrefix<T>(snapshot: Snapshot, prefix: string, make: (name: string, r: CommandResult) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, r] of Object.entries(snapshot.commands)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = make(name, r);
  return out;
}

function buildClock(snapshot: Snapshot): LiveModel['clock'] {
  const td = snapshot.commands[PROBE.timedatectl];
  const chrony = snapshot.commands[PROBE.chronyc];
  if (td && outcomeOf(PROBE.timedatectl, td).state === 'ok') {
    const synced = /^(NTPSynchronized=)?(yes|no)$/m.exec(td.stdout.trim())?.[2];
    return { synced: synced === undefined ? null : synced === 'yes', outcome: outcomeOf(PROBE.timedatectl, td) };
  }
  if (chrony && outcomeOf(PROBE.chronyc, chrony).state === 'ok') {
    const leap = /^Leap status\s*:\s*(.*)$/m.exec(chrony.stdout)?.[1]?.trim();
    if (leap === undefined) return { synced: null, outcome: { probe: PROBE.chronyc, state: 'ok', detail: 'chronyc tracking printed no leap status' } };
    return { synced: leap === 'Normal', outcome: { probe: PROBE.chronyc, state: 'ok', detail: `chrony leap status: ${leap}` } };
  }
  const tried = [td && outcomeOf(PROBE.timedatectl, td), chrony && outcomeOf(PROBE.chronyc, chrony)].filter((o): o is ProbeOutcome => !!o);
  if (tried.length === 0) return null;
  return { synced: null, outcome: { probe: tried[0]!.probe, state: 'unavailable', detail: tried.map((o) => o.detail).join('; ') } };
}

/** Probes that talk to containerd through its socket. */
const viaSocket = (name: string): boolean =>
  [PROBE.version, PROBE.crictlInfo, PROBE.plugins, PROBE.criPluginDetail, PROBE.images].includes(name as never) || name.startsWith('image-pull:');

/**
 * With containerd's socket missing, a probe that goes through it failed for
 * that reason, whatever the tool printed while it waited (a timeout, "context
 * deadline exceeded"): say so. A tool that is not installed stays not installed.
 */
function throughMissingSocket(snapshot: Snapshot): Snapshot {
  const c = snapshot.commands[PROBE.socketConnect];
  if (!c || c.exitCode !== 1 || !c.stderr.startsWith('no such file or directory')) return snapshot;
  const commands = { ...snapshot.commands };
  for (const [name, r] of Object.entries(commands)) {
    if (!viaSocket(name) || (r.exitCode === 0 && !r.error) || r.error?.code === 'ENOENT') continue;
    const { error: _error, ...rest } = r;
    commands[name] = { ...rest, exitCode: r.exitCode || 1, stdout: '', stderr: `containerd's socket ${c.argv[1]} does not exist (nothing serves it)\n` };
  }
  return { ...snapshot, commands };
}

/** Build the live part of the model from the snapshot's probe results; null when the snapshot is offline. */
export function buildLive(given: Snapshot, systemd?: SystemdModel, containerd?: ContainerdModel): LiveModel | null {
  if (!given.online) return null;
  const snapshot = throughMissingSocket(given);
  const unit = systemd?.units[LIVE_UNIT];
  const files = [
    ...(containerd?.files ?? []).map((f) => f.path),
    ...(unit?.fragmentPath ? [unit.fragmentPath] : []),
    ...(unit?.dropInPaths ?? []),
    ...(unit?.environmentFiles ?? []).flatMap((e) => e.matches),
  ];
  const configFiles = [...new Set(files)].flatMap((path) => {
    const mtimeMs = snapshot.paths[path]?.mtimeMs;
    return mtimeMs === undefined ? [] : [{ path, mtimeMs }];
  });
  const c = snapshot.commands;
  const connect = c[PROBE.socketConnect];
  const version = c[PROBE.version];
  const dump = c[PROBE.configDump];
  let configDump: LiveModel['configDump'] = null;
  if (dump) {
    const outcome = outcomeOf(PROBE.configDump, dump);
    const parsed = outcome.state === 'ok' ? parseToml(dump.stdout) : null;
    configDump = { outcome, facts: parsed?.ok ? dumpFacts(parsed.value) : null };
  }
  const images = c[PROBE.images];
  const listeners = c[PROBE.listeners];
  return {
    systemd: buildSystemdLive(snapshot),
    socket: {
      address: connect?.argv[1] ?? null,
      connect: connect ? outcomeOf(PROBE.socketConnect, connect) : null,
      version: version ? { ...outcomeOf(PROBE.version, version), server: /^Server:\s*\n\s*Version:\s*(\S+)/m.exec(version.stdout)?.[1] ?? null } : null,
    },
    cri: buildCri(snapshot),
    configDump,
    tcp: byPrefix(snapshot, 'tcp-connect:', outcomeOf),
    dns: byPrefix(snapshot, 'dns-lookup:', (name, r) => ({
      ...outcomeOf(name, r),
      addresses: r.exitCode === 0 ? r.stdout.split('\n').filter((l) => l !== '') : [],
    })),
    images: {
      listed: images
        ? {
            ...outcomeOf(PROBE.images, images),
            refs:
              images.exitCode === 0
                ? images.stdout
                    .split('\n')
                    .map((l) => l.trim())
                    .filter((l) => l !== '')
                : [],
          }
        : null,
      pulls: byPrefix(snapshot, 'image-pull:', outcomeOf),
    },
    kubeletPort: listeners
      ? {
          ...outcomeOf(PROBE.listeners, listeners),
          listeners:
            listeners.exitCode === 0
              ? listeners.stdout
                  .split('\n')
                  .map((l) => l.trim())
                  .filter((l) => l !== '')
              : [],
        }
      : null,
    clock: buildClock(snapshot),
    configFiles,
  };
}

/**
 * containerd's environment as far as the node tells: the Environment= the
 * running manager has loaded when systemd answered, else the environment
 * computed from the unit files.
 */
export function containerdEnvironment(systemd: SystemdModel, live: LiveModel): Record<string, string> {
  if (live.systemd?.outcome.state === 'ok') return live.systemd.environment;
  return Object.fromEntries(Object.entries(systemd.units[LIVE_UNIT]!.environment ?? {}).map(([k, v]) => [k, v.value]));
}

/** A proxy containerd would dial, and where the setting came from. */
export interface ProxyEndpoint {
  /** The variable Go reads it from (HTTPS_PROXY, http_proxy, …). */
  variable: string;
  /** The proxy as Go dials it: scheme://host:port (no userinfo). */
  address: string;
  /** host:port for the TCP probe (IPv6 in brackets). */
  hostPort: string;
  host: string;
  port: number;
  /** unit: the environment computed from the unit files (file and line set); running: the manager's loaded Environment=. */
  origin: 'unit' | 'running';
  file?: string;
  line?: number;
}

/**
 * Every proxy in containerd's environment that Go would use: HTTPS_PROXY and
 * HTTP_PROXY (upper case first), from the unit files' effective environment
 * and from the manager's loaded Environment= when systemd was asked.
 */
export function proxyEndpoints(systemd: SystemdModel, live: LiveModel): ProxyEndpoint[] {
  const unitEnv = systemd.units[LIVE_UNIT]!.environment ?? {};
  const sources: { env: Record<string, string>; origin: ProxyEndpoint['origin'] }[] = [
    { env: Object.fromEntries(Object.entries(unitEnv).map(([k, v]) => [k, v.value])), origin: 'unit' },
  ];
  if (live.systemd?.outcome.state === 'ok') sources.push({ env: live.systemd.environment, origin: 'running' });
  const out: ProxyEndpoint[] = [];
  for (const { env, origin } of sources) {
    for (const names of [
      ['HTTPS_PROXY', 'https_proxy'],
      ['HTTP_PROXY', 'http_proxy'],
    ]) {
      const got = getEnvAny(env, ...names);
      const parsed = got ? parseProxyValue(got.value) : null;
      if (!got || !parsed?.ok) continue;
      const hostPort = parsed.value.slice(parsed.value.indexOf('://') + 3);
      // A scheme without a default port (Go knows http, https, socks5) leaves nothing to dial.
      if (!/:\d+$/.test(hostPort)) continue;
      if (out.some((p) => p.address === parsed.value && p.origin === origin)) continue;
      const colon = hostPort.lastIndexOf(':');
      const set = origin === 'unit' ? { file: unitEnv[got.name]!.file, line: unitEnv[got.name]!.line } : {};
      out.push({
        variable: got.name,
        address: parsed.value,
        hostPort,
        host: hostPort.slice(0, colon).replace(/^\[|\]$/g, ''),
        port: Number(hostPort.slice(colon + 1)),
        origin,
        ...set,
      });
    }
  }
  return out;
}
