import { LIVE_UNIT, modelFacts, type ContainerdFacts } from '../../model/live.js';
import type { NodeModel } from '../../model/types.js';
import { redactUrl } from '../../parsers/redact.js';
import { defineRule, type Violation } from '../types.js';
import { liveOf } from '../runtime-support.js';
import { place } from '../systemd-support.js';
import { at, where } from '../helpers.js';

const FACT_NAMES: Record<keyof ContainerdFacts, string> = {
  sandboxImage: 'the sandbox image',
  defaultRuntimeName: 'default_runtime_name',
  systemdCgroup: "the default runtime's SystemdCgroup",
  configPath: 'the registry config_path',
};

/** The facts on which two views of containerd's configuration differ (a view without a fact, e.g. a dump without the disabled CRI plugin's section, says nothing about it). */
function factDifferences(seen: ContainerdFacts, disk: Partial<ContainerdFacts>, what: string): Violation[] {
  return (Object.keys(FACT_NAMES) as (keyof ContainerdFacts)[])
    .filter((k) => k in disk && seen[k] !== null && seen[k] !== disk[k])
    .map((k) => ({
      message: `${what} has ${FACT_NAMES[k]} ${JSON.stringify(seen[k])}, but the files on disk give ${JSON.stringify(disk[k])}.`,
      evidence: { path: `/containerd`, observed: seen[k], expected: disk[k] },
    }));
}

/** What the running systemd manager has loaded for containerd.service that the files no longer say. */
function systemdDifferences(model: NodeModel): Violation[] {
  const running = liveOf(model).systemd;
  if (running?.outcome.state !== 'ok') return [];
  const unit = model.systemd.units[LIVE_UNIT]!;
  const out: Violation[] = [];
  if (running.needDaemonReload) {
    out.push({
      message: `systemd reports NeedDaemonReload=yes for ${LIVE_UNIT}: its unit file or drop-ins changed on disk after systemd loaded them, so the running service does not have them.`,
      evidence: { path: '/live/systemd/needDaemonReload', observed: 'yes', expected: 'no' },
    });
  }
  const disk = unit.environmentList;
  for (const name of [...new Set([...Object.keys(disk), ...Object.keys(running.environment)])].sort()) {
    const onDisk = disk[name];
    const loaded = running.environment[name];
    if (onDisk?.value === loaded) continue;
    const diskText = onDisk ? `${name}=${redactUrl(onDisk.value)} (${place(onDisk)})` : `no ${name}`;
    const loadedText = loaded === undefined ? `no ${name}` : `${name}=${redactUrl(loaded)}`;
    out.push({
      message: `The running systemd has ${loadedText} in ${LIVE_UNIT}'s Environment=, but the unit files on disk give ${diskText}; run daemon-reload and restart containerd to apply the files.`,
      evidence: {
        ...(onDisk ? { file: onDisk.file, line: onDisk.line } : {}),
        path: `/live/systemd/environment/${name}`,
        observed: loaded === undefined ? null : redactUrl(loaded),
        expected: onDisk ? redactUrl(onDisk.value) : null,
      },
    });
  }
  if (running.dropInPaths) {
    const gone = running.dropInPaths.filter((p) => !unit.dropInPaths.includes(p));
    const added = unit.dropInPaths.filter((p) => !running.dropInPaths!.includes(p));
    if (gone.length + added.length > 0) {
      const parts = [
        ...(gone.length ? [`still applies ${gone.join(', ')} (no longer on disk)`] : []),
        ...(added.length ? [`does not apply ${added.join(', ')}`] : []),
      ];
      out.push({
        message: `For ${LIVE_UNIT}, the running systemd ${parts.join(' and ')}.`,
        evidence: { path: '/live/systemd/dropInPaths', observed: running.dropInPaths, expected: unit.dropInPaths },
      });
    }
  }
  if (running.startedAtMs !== null) {
    for (const f of liveOf(model).configFiles.filter((f) => f.mtimeMs > running.startedAtMs!)) {
      out.push({
        message: `${f.path} changed at ${new Date(f.mtimeMs).toISOString()}, after containerd's main process started (${new Date(running.startedAtMs).toISOString()}), so the running containerd does not have the change.`,
        evidence: {
          file: f.path,
          path: '/live/configFiles',
          observed: new Date(f.mtimeMs).toISOString(),
          expected: `before ${new Date(running.startedAtMs).toISOString()}`,
        },
      });
    }
  }
  return out;
}

/** The running CRI plugin against the disk: the plugin itself, and its settings when crictl shows them. */
function criDifferences(model: NodeModel): Violation[] {
  const { cri } = liveOf(model);
  const disabledBy = model.containerd.criDisabledBy[0];
  if (cri.plugin === 'loaded' && disabledBy) {
    return [
      {
        message: `The running containerd has the CRI plugin loaded, but ${where(disabledBy.source)} disables it (${JSON.stringify(disabledBy.value)}); containerd was not restarted since, and a restart would take the CRI away.`,
        evidence: { ...at(disabledBy.source), path: '/containerd/criDisabledBy', observed: 'loaded', expected: 'disabled' },
      },
    ];
  }
  if (cri.plugin === 'missing' && !disabledBy) {
    return [
      {
        message: `The running containerd has no CRI plugin, but the configuration on disk does not disable it; containerd was started with another configuration (restart it).`,
        evidence: { path: '/live/cri/plugin', observed: 'missing', expected: 'loaded' },
      },
    ];
  }
  return cri.running ? factDifferences(cri.running, modelFacts(model.containerd), 'The running CRI plugin (crictl info)') : [];
}

/** `containerd config dump`: what containerd would load from disk now. */
function dumpDifferences(model: NodeModel): Violation[] {
  const dump = liveOf(model).configDump;
  if (!dump || dump.outcome.state === 'unavailable') return [];
  if (dump.outcome.state === 'failed') {
    return [
      {
        message: `containerd cannot load the configuration on disk (containerd config dump: ${dump.outcome.detail}), so the running containerd is not using it and a restart would fail.`,
        evidence: {
          file: model.containerd.configFile.path,
          path: '/live/configDump',
          observed: dump.outcome.detail,
          expected: 'a configuration containerd loads',
        },
      },
    ];
  }
  return dump.facts ? factDifferences(dump.facts, modelFacts(model.containerd), 'containerd config dump') : [];
}

export default defineRule({
  id: 'runtime/config-applied',
  title: 'The running containerd uses what is on disk',
  severity: 'error',
  mode: 'live',
  rationale:
    'Unit files, drop-ins and config.toml take effect only after daemon-reload and a restart; a node whose fix was never applied looks correct on disk.',
  remediation: 'Run systemctl daemon-reload and systemctl restart containerd.',
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#daemon-reload'],
  applies: ({ model }) => {
    const live = liveOf(model);
    // Only a running containerd has a configuration to compare; without one there is nothing to pass.
    const running =
      live.socket.connect?.state === 'ok' ||
      (live.systemd?.outcome.state === 'ok' && live.systemd.activeState === 'active') ||
      live.cri.plugin === 'loaded' ||
      live.cri.plugin === 'error';
    if (!running) {
      // A socket that is not ok (refused, missing, the deadline) says why.
      const seen = [
        live.socket.connect ? `its socket: ${live.socket.connect.detail}` : 'its socket was not probed',
        live.systemd?.outcome.state === 'ok' ? `systemd: ${LIVE_UNIT} is ${live.systemd.activeState}` : 'systemd could not be asked',
      ];
      return `No running containerd was found (${seen.join('; ')}), so there is no running configuration to compare with the files`;
    }
    const systemdOk = live.systemd?.outcome.state === 'ok';
    const dumpOk = live.configDump !== null && live.configDump.outcome.state !== 'unavailable';
    if (systemdOk || dumpOk || live.cri.plugin !== 'unknown') return undefined;
    const why = [
      live.systemd ? `systemd: ${live.systemd.outcome.detail}` : 'systemctl show was not run',
      live.configDump ? `config dump: ${live.configDump.outcome.detail}` : 'containerd config dump was not run',
      `CRI: ${live.cri.detail}`,
    ];
    return `Neither systemd, containerd config dump nor the CRI plugin could be asked (${why.join('; ')})`;
  },
  check: ({ model }) => [...systemdDifferences(model), ...criDifferences(model), ...dumpDifferences(model)],
});
