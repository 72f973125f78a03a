import { PAUSE_BY_MINOR } from './defaults.js';
import type { Checklist, Targets } from './types.js';

/** The minor number of a Kubernetes version string ("1.36", "v1.36.2" → 36). */
export function kubernetesMinor(version: string): number {
  return Number(/^v?1\.([0-9]+)/.exec(version)?.[1] ?? NaN);
}

/** The sandbox image kubeadm uses for a Kubernetes minor, or null when this release does not know it. */
export function kubeadmSandboxImage(minor: number): string | null {
  const tag = PAUSE_BY_MINOR[minor];
  return tag ? `registry.k8s.io/pause:${tag}` : null;
}

/** Derive the expectations rules compare against from a complete checklist. */
export function deriveTargets(checklist: Checklist): Targets {
  const minor = kubernetesMinor(checklist.kubernetesVersion);
  const derived = kubeadmSandboxImage(minor);
  return {
    kubernetesMinor: minor,
    sandboxImage: checklist.sandboxImage ?? derived,
    sandboxImageOrigin: checklist.sandboxImage
      ? 'the checklist'
      : `kubeadm's default for Kubernetes ${checklist.kubernetesVersion}`,
    cgroupDriver: checklist.cgroupDriver,
    criSocket: checklist.criSocket,
  };
}
