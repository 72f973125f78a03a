import { PAUSE_BY_MINOR } from './defaults.js';
import type { Checklist, KubernetesTarget, Targets } from './types.js';
import type { NodeModel, PackagesModel } from '../model/types.js';

/** The Kubernetes minors this release has tables for (pause image, kubeadm's checks, removed flags). */
const MINORS = Object.keys(PAUSE_BY_MINOR).map(Number);
/** The oldest and newest Kubernetes minor this release knows. */
export const OLDEST_KNOWN_MINOR = Math.min(...MINORS);
export const NEWEST_KNOWN_MINOR = Math.max(...MINORS);

/** A Kubernetes version as the checklist and --kubernetes-version take it: "1.36", "v1.36", "1.36.2". */
const KUBERNETES_VERSION = /^v?1\.([0-9]{1,3})(?:\.[0-9]+)?$/;

/** The minor number of a Kubernetes version string ("1.36", "v1.36.2" → 36), NaN when it is not one. */
export function kubernetesMinor(version: string): number {
  return Number(/^v?1\.([0-9]+)/.exec(version)?.[1] ?? NaN);
}

/** Whether a text is a Kubernetes version this tool accepts (`1.Y` or `1.Y.Z`, an optional `v`). */
export function isKubernetesVersion(text: string): boolean {
  return KUBERNETES_VERSION.test(text.trim());
}

/** The sandbox image kubeadm uses for a Kubernetes minor, or null when this release does not know it. */
export function kubeadmSandboxImage(minor: number): string | null {
  const tag = PAUSE_BY_MINOR[minor];
  return tag ? `registry.k8s.io/pause:${tag}` : null;
}

/** Where the target version may come from, most explicit first. */
export interface VersionInputs {
  /** `--kubernetes-version` (validated by the caller). */
  flag?: string;
  /** The node's package database: the installed kubeadm (else kubelet) package. */
  packages?: PackagesModel;
}

/**
 * The Kubernetes version a node is judged for: `--kubernetes-version`, else
 * the checklist's `kubernetesVersion`, else the installed kubeadm (then
 * kubelet) package, else the newest this release knows. A version newer than
 * the newest known is judged with the newest known tables and says so; an
 * installed package older than the oldest known is judged as it is, without
 * the tables it has none of.
 */
export function resolveKubernetesVersion(checklist: Pick<Checklist, 'kubernetesVersion'>, inputs: VersionInputs = {}): KubernetesTarget {
  const pkg = (['kubeadm', 'kubelet'] as const).map((n) => inputs.packages?.installed[n]).find((p) => p?.release && kubernetesMinor(p.release) >= 0);
  let found: Pick<KubernetesTarget, 'source' | 'basis'> & { text: string };
  if (inputs.flag !== undefined) found = { text: inputs.flag, source: 'flag', basis: '--kubernetes-version' };
  else if (checklist.kubernetesVersion !== undefined)
    found = { text: checklist.kubernetesVersion, source: 'checklist', basis: "the checklist's kubernetesVersion" };
  else if (pkg)
    found = { text: pkg.release!, source: 'node-package', basis: `the installed ${pkg.name} package (${pkg.version}, ${pkg.source.file}:${pkg.source.line})` };
  else
    found = { text: `1.${NEWEST_KNOWN_MINOR}`, source: 'default', basis: `the newest Kubernetes version this release knows (${noPackage(inputs.packages)})` };
  const minor = kubernetesMinor(found.text);
  const version = `1.${minor}`;
  const target: KubernetesTarget = { version, minor, tableMinor: Math.min(minor, NEWEST_KNOWN_MINOR), source: found.source, basis: found.basis };
  if (minor > NEWEST_KNOWN_MINOR) {
    target.note = `Kubernetes ${version} (${found.basis}) is newer than the newest version this release of kube-preflight knows (1.${NEWEST_KNOWN_MINOR}); it is judged with the 1.${NEWEST_KNOWN_MINOR} targets.`;
  } else if (minor < OLDEST_KNOWN_MINOR) {
    target.note = `Kubernetes ${version} (${found.basis}) is older than the oldest version this release of kube-preflight knows (1.${OLDEST_KNOWN_MINOR}); targets that depend on the version (such as the pause image) are not checked.`;
  }
  return target;
}

/** Why no package gave the version, for the basis of the default. */
function noPackage(packages: PackagesModel | undefined): string {
  if (!packages) return 'no node package was consulted';
  if (packages.database === 'rpm')
    return `neither kubeadm nor kubelet found: the rpm database (${packages.rpmDatabases.join(', ')}) is binary and not read; set --kubernetes-version or the checklist's kubernetesVersion`;
  if (packages.database === 'dpkg') return `no kubeadm or kubelet package in ${packages.file.path}`;
  return 'no package database on the node';
}

/** Options for {@link deriveTargets}. */
export interface TargetOptions {
  /** `--kubernetes-version`. */
  kubernetesVersion?: string;
  /** The node, whose installed kubeadm or kubelet package gives the version when nothing else does. */
  model?: Pick<NodeModel, 'packages'>;
}

/** Derive the expectations rules compare against from a complete checklist and the node's packages. */
export function deriveTargets(checklist: Checklist, options: TargetOptions = {}): Targets {
  const kubernetes = resolveKubernetesVersion(checklist, {
    ...(options.kubernetesVersion !== undefined ? { flag: options.kubernetesVersion } : {}),
    ...(options.model ? { packages: options.model.packages } : {}),
  });
  const derived = kubeadmSandboxImage(kubernetes.tableMinor);
  return {
    kubernetesMinor: kubernetes.tableMinor,
    kubernetesVersion: kubernetes.version,
    kubernetes,
    sandboxImage: checklist.sandboxImage ?? derived,
    sandboxImageOrigin: checklist.sandboxImage ? 'the checklist' : `kubeadm's default for Kubernetes 1.${kubernetes.tableMinor}`,
    cgroupDriver: checklist.cgroupDriver,
    criSocket: checklist.criSocket,
  };
}
