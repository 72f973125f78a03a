import type { Checklist } from './types.js';

/**
 * The embedded default checklist: kubeadm's defaults, so `preflight` with no
 * file is useful on day one.
 */
export const DEFAULT_CHECKLIST: Readonly<Checklist> = Object.freeze({
  apiVersion: 'kube-preflight/v1',
  kind: 'Checklist',
  cgroupDriver: 'systemd',
  criSocket: 'unix:///run/containerd/containerd.sock',
  allowedRuntimeTypes: ['io.containerd.runc.v2'],
  cluster: { serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' },
  proxy: { policy: 'none' },
  registries: { insecureAllowed: [], internal: [], mirrors: {} },
  criticalImages: [],
  systemd: { allowedDropIns: { 'containerd.service': [], 'kubelet.service': ['10-kubeadm.conf'] } },
  host: { swapAllowed: false },
  severity: {},
  rules: [],
  waivers: [],
} satisfies Checklist);

/** Name of the embedded default checklist in reports. */
export const DEFAULT_CHECKLIST_SOURCE = 'embedded:default';

/**
 * kubeadm's pause image tag per Kubernetes minor (`PauseVersion` in
 * cmd/kubeadm/app/constants/constants.go of each release branch). Its keys
 * are the Kubernetes minors this release knows.
 */
export const PAUSE_BY_MINOR: Readonly<Record<number, string>> = Object.freeze({
  27: '3.9',
  28: '3.9',
  29: '3.9',
  30: '3.9',
  31: '3.10',
  32: '3.10',
  33: '3.10',
  34: '3.10.1',
  35: '3.10.1',
  36: '3.10.2',
  37: '3.10.2',
});
