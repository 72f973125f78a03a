/**
 * The live part of the NodeModel (src/model/types.ts): what the probes of
 * `--online` saw. Built by src/model/live.ts from `snapshot.commands`.
 */

/** How one probe went, in one line. */
export interface ProbeOutcome {
  /** The probe's key in `snapshot.commands`. */
  probe: string;
  /** ok: it ran and succeeded; failed: it ran and what it checks failed; unavailable: it could not run (tool missing, deadline). */
  state: 'ok' | 'failed' | 'unavailable';
  /** The error (first line of stderr, or why it could not run), '' when ok. */
  detail: string;
}

/** containerd's settings that disk and the running process must agree on. */
export interface ContainerdFacts {
  sandboxImage: string | null;
  defaultRuntimeName: string | null;
  /** SystemdCgroup of the default runtime's options, null when unset. */
  systemdCgroup: boolean | null;
  configPath: string | null;
}

/** containerd.service as the running systemd manager has it loaded. */
export interface LiveSystemd {
  outcome: ProbeOutcome;
  loadState: string | null;
  activeState: string | null;
  subState: string | null;
  /** The `Environment=` list as loaded by the manager (values redacted at collection). */
  environment: Record<string, string>;
  needDaemonReload: boolean | null;
  mainPid: number | null;
  /** When the main process started (ms since the epoch), from ExecMainStartTimestamp printed in UTC. */
  startedAtMs: number | null;
  fragmentPath: string | null;
  dropInPaths: string[] | null;
}

/** What the live probes saw. */
export interface LiveModel {
  /** containerd.service as the running manager has it, or null when not probed. */
  systemd: LiveSystemd | null;
  /** The socket the probes used, and how it answered. */
  socket: { address: string | null; connect: ProbeOutcome | null; version: (ProbeOutcome & { server: string | null }) | null };
  cri: {
    /** crictl info (RuntimeReady known) or ctr plugins ls (loaded or not only). */
    via: 'crictl' | 'ctr' | null;
    /** loaded: ok; missing: not among the plugins; error: failed to load; unknown: could not be asked. */
    plugin: 'loaded' | 'missing' | 'error' | 'unknown';
    runtimeReady: boolean | null;
    /** The plugin's load error, RuntimeReady's reason, or why it could not be asked. */
    detail: string;
    probe: string | null;
    /** The running CRI plugin's configuration (crictl info only). */
    running: ContainerdFacts | null;
  };
  /** `containerd config dump`: the configuration containerd would load from disk now. */
  configDump: { outcome: ProbeOutcome; facts: ContainerdFacts | null } | null;
  /** TCP connections by `host:port`. */
  tcp: Record<string, ProbeOutcome>;
  /** DNS lookups by host name. */
  dns: Record<string, ProbeOutcome & { addresses: string[] }>;
  images: { listed: (ProbeOutcome & { refs: string[] }) | null; pulls: Record<string, ProbeOutcome> };
  /** Listeners on the kubelet port (`ss -ltn`). */
  kubeletPort: (ProbeOutcome & { listeners: string[] }) | null;
  clock: { synced: boolean | null; outcome: ProbeOutcome } | null;
  /** containerd's config files and containerd.service's unit files, drop-ins and environment files, with their mtimes. */
  configFiles: { path: string; mtimeMs: number }[];
}
