import type { Snapshot } from '../../snapshot/types.js';
import type { TomlData } from '../../parsers/toml.js';
import { DEFAULT_CONTAINERD_SOCKET } from '../endpoints.js';
import { fileInfo } from '../file-info.js';
import type { ContainerdModel, PackagesModel, Source } from '../types.js';
import { loadContainerdConfig, type LoadedFile } from './load.js';
import { containerdCommandLine } from './command.js';
import { CRI_IMAGES, CRI_RUNTIME, CRI_V2, SERVER_GRPC, chooseSemantics, describeRelease, releaseFacts, type VersionEvidence } from './semantics.js';
import { binaryContainerdVersion, PROBE } from '../live.js';
import { displayKey, fileTree, sourceOf, tableAt, valueAt, type SourcedTree } from './tree.js';
import { isString, registryOf, runtimesOf, sourced } from './cri.js';
import { keyProblemsOf } from './key-problems.js';
import { lastVersion, listEntries, merge1x, merge2x } from './merge-release.js';

// Planning, merging, the CRI settings and key checks live in sibling modules; planContainerdInputs stays importable from here.
export { planContainerdInputs } from './plan.js';

/** Options for {@link buildContainerd}. */
export interface ContainerdOptions {
  /** The containerd release to model (the checklist's containerdVersion); inferred when absent. */
  containerdVersion?: string;
  /** The node's package database, whose containerd package tells the release when the checklist does not. */
  packages?: PackagesModel;
}

/** Plugin id prefixes that only containerd 2.x has (the split CRI plugins, the 2.3 server plugins). */
const TWO_X_ONLY = ['io.containerd.cri.v1.', 'io.containerd.server.v1.'];

/** What tells which containerd runs, beyond the checklist: the package, the running daemon, the files. */
function versionEvidence(snapshot: Snapshot, trees: readonly SourcedTree[], options: ContainerdOptions): VersionEvidence {
  const pkg = ['containerd.io', 'containerd'].map((n) => options.packages?.installed[n]).find((p) => p?.release);
  const ctr = snapshot.commands[PROBE.version];
  const server = ctr?.exitCode === 0 ? /^Server:\s*\n\s*Version:\s*(\S+)/m.exec(ctr.stdout)?.[1] : undefined;
  // The running daemon says its release; else the installed binary does (containerd --version, major.minor).
  const installed = server === undefined ? binaryContainerdVersion(snapshot) : null;
  const binary = server ?? installed ?? undefined;
  let twoXId: VersionEvidence['twoXId'];
  for (const t of trees) {
    const id = Object.keys(tableAt(t.data, ['plugins']) ?? {}).find((x) => TWO_X_ONLY.some((p) => x.startsWith(p)));
    if (id && !twoXId) twoXId = { id, where: where(sourceOf(t, ['plugins', id])!) };
  }
  return {
    ...(options.containerdVersion !== undefined ? { checklist: options.containerdVersion } : {}),
    ...(pkg ? { package: { name: pkg.name, release: pkg.release!, where: `${pkg.version}, ${pkg.source.file}:${pkg.source.line}` } } : {}),
    ...(binary
      ? {
          binary,
          binaryBasis: server ? `the running containerd (ctr version: ${server})` : `the installed containerd binary (containerd --version: ${installed})`,
        }
      : {}),
    configVersion: trees.length > 0 ? lastVersion(trees).value : null,
    ...(twoXId ? { twoXId } : {}),
  };
}

const where = (source: Source): string => `${source.file}:${source.line}`;

/** Plugin ids that carry the CRI in 2.x; disabling any of them leaves kubelet without a runtime. */
const CRI_IDS_2X = [CRI_V2, CRI_IMAGES, CRI_RUNTIME];

/** containerd's effective configuration, whatever the config version. Pure: reads only the snapshot. */
export function buildContainerd(snapshot: Snapshot, options: ContainerdOptions = {}): ContainerdModel {
  const command = containerdCommandLine(snapshot);
  const load = loadContainerdConfig(snapshot, command.config.value);
  const usable = load.files.filter((f): f is LoadedFile & { data: TomlData } => f.data !== undefined);
  const trees = usable.map((f) => fileTree(f.path, f.data, f.locations!));
  const s = chooseSemantics(versionEvidence(snapshot, trees, options));
  const facts = releaseFacts(s);
  const release = describeRelease(s);
  const merged = s.major === 1 ? merge1x(trees, s, facts) : merge2x(trees, s, facts);
  const tree = merged.tree;

  const images = s.major === 1 ? ['plugins', CRI_V2] : ['plugins', CRI_IMAGES];
  const runtime = s.major === 1 ? ['plugins', CRI_V2] : ['plugins', CRI_RUNTIME];
  const sandbox = s.major === 1 ? [...images, 'sandbox_image'] : [...images, 'pinned_images', 'sandbox'];
  const disabledPlugins = listEntries(tree, 'disabled_plugins');
  const criIds = s.major === 1 ? [merged.version.value === 1 ? 'cri' : CRI_V2] : CRI_IDS_2X;
  const legacy = valueAt(tree.data, [...runtime, 'systemd_cgroup']);
  const grpcPath = s.major === 2 && facts.migrateEachFile ? ['plugins', SERVER_GRPC, 'address'] : ['grpc', 'address'];
  const runtimes = runtimesOf(tree, [...runtime, 'containerd', 'runtimes'], s);
  const proxies = Object.keys(tableAt(tree.data, ['proxy_plugins']) ?? {});

  return {
    semantics: { version: s.version, basis: s.basis, source: s.source },
    configFile: fileInfo(snapshot, command.config.value, load.files[0]?.error && load.files[0].state === 'invalid' ? load.files[0].error : undefined),
    configSource: command.config.source,
    files: load.files.map((f) => ({
      path: f.path,
      state: f.state,
      ...(f.error ? { error: f.error } : {}),
      version: f.version,
      ...(f.importedBy ? { importedBy: f.importedBy } : {}),
      ...(f.data ? { data: f.data, keyLines: Object.fromEntries([...f.locations!].map(([k, p]) => [displayKey(k.split('\u0000')), p.line])) } : {}),
    })),
    imports: load.imports,
    version: merged.version,
    ignored: merged.ignored,
    fatal: merged.fatal,
    keys: keyProblemsOf(trees, s, merged.version.value, runtimes, proxies),
    disabledPlugins,
    criDisabledBy: disabledPlugins.filter((e) => criIds.includes(e.value) || (s.major === 2 && e.value.startsWith('io.containerd.cri.v1.'))),
    // containerd's --address replaces whatever the files say (applyFlags).
    grpcAddress: command.address ?? sourced(tree, grpcPath, DEFAULT_CONTAINERD_SOCKET, release, isString),
    cri: {
      sandboxImage: sourced(tree, sandbox, facts.sandboxImage, release, isString),
      defaultRuntimeName: sourced(tree, [...runtime, 'containerd', 'default_runtime_name'], 'runc', release, isString),
      runtimes,
      legacySystemdCgroup: legacy === undefined ? null : { value: legacy, source: sourceOf(tree, [...runtime, 'systemd_cgroup'])! },
      registry: registryOf(snapshot, tree, [...images, 'registry'], s, facts),
    },
    effective: tree.data,
  };
}
