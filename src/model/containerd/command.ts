/**
 * What containerd.service's command line tells containerd: the configuration
 * file (`--config`/`-c`, else /etc/containerd/config.toml) and the gRPC
 * address (`--address`/`-a`, which overrides the file's). Sources:
 * containerd cmd/containerd/command/main.go of 1.6 to 2.3 (app.Flags, and
 * applyFlags: "flags will always override the config values if they are
 * set"); the flags are parsed by urfave/cli on Go's flag package, which
 * takes `-name` and `--name`, `=value` or the next word, and stops at the
 * first word that is not a flag (the subcommand).
 */
import { normalizePath } from '../../snapshot/paths.js';
import type { Snapshot } from '../../snapshot/types.js';
import { buildSystemd } from '../systemd.js';
import type { CommandWord, Source, Sourced } from '../types.js';

/** containerd's default configuration file. */
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';

/** containerd's global flags on Linux (all take a value) and their long names. */
const FLAGS: Readonly<Record<string, string>> = {
  config: 'config',
  c: 'config',
  'log-level': 'log-level',
  l: 'log-level',
  address: 'address',
  a: 'address',
  root: 'root',
  state: 'state',
};

/** What the command line sets. */
export interface ContainerdCommandLine {
  /** The configuration file containerd loads, and where that was decided. */
  config: Sourced<string>;
  /** `--address`, which replaces the gRPC address of the configuration. */
  address: Sourced<string> | null;
}

/** The flags of containerd's command line (argv[0] excluded). */
export function parseContainerdArgv(argv: readonly CommandWord[]): ContainerdCommandLine {
  const set: Record<string, Sourced<string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!.text;
    const m = /^--?([^-=][^=]*)(?:=(.*))?$/s.exec(word);
    // A word that is not a flag is the subcommand; flag parsing ends there (and at "--").
    if (!m) break;
    const name = FLAGS[m[1]!];
    // An undefined flag stops containerd ("flag provided but not defined"); nothing after it counts.
    if (name === undefined) break;
    const value = m[2] ?? argv[i + 1]?.text;
    const source = m[2] === undefined && argv[i + 1] ? argv[i + 1]!.source : argv[i]!.source;
    if (m[2] === undefined) i++;
    if (value !== undefined) set[name] = { value, source: { ...source, key: source.key === 'ExecStart' ? `--${name}` : source.key } };
  }
  const config = set.config;
  // systemd starts the service in "/" (no WorkingDirectory=), so a relative path resolves there.
  const resolved = (v: string): string => normalizePath(v.startsWith('/') ? v : `/${v}`);
  return {
    config:
      config && config.value !== '' ? { value: resolved(config.value), source: config.source } : { value: CONTAINERD_CONFIG, source: defaultSource(config) },
    address: set.address && set.address.value !== '' ? set.address : null,
  };
}

function defaultSource(flag: Sourced<string> | undefined): Source {
  return flag
    ? { ...flag.source, default: 'an empty --config: containerd uses its default file' }
    : { default: "containerd's default file (containerd.service passes no --config)" };
}

/** containerd's command line from containerd.service as the node's files make it (the default file when the unit cannot start). */
export function containerdCommandLine(snapshot: Snapshot): ContainerdCommandLine {
  const unit = buildSystemd(snapshot).units['containerd.service']!;
  return unit.command ? parseContainerdArgv(unit.command.argv.slice(1)) : parseContainerdArgv([]);
}
