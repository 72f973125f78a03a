import { readFileSync } from 'node:fs';
import type { NodeFiles } from './node-root.js';

const CLEAN = new URL('../fixtures/nodes/clean/root/', import.meta.url).pathname;
const read = (path: string): string => readFileSync(`${CLEAN}${path}`, 'utf8');

/** containerd.service as Debian's containerd package ships it (in /usr/lib on merged /usr). */
export const CONTAINERD_UNIT = read('usr/lib/systemd/system/containerd.service');
/** kubelet.service and kubeadm's 10-kubeadm.conf as the pkgs.k8s.io packages ship them. */
export const KUBELET_UNIT = read('usr/lib/systemd/system/kubelet.service');
export const KUBEADM_DROPIN = read('usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');

/** The packaged units of a node prepared for kubeadm: both services load, kubelet with the kubeadm drop-in. */
export const PACKAGED_UNITS: NodeFiles = {
  '/lib': { link: 'usr/lib' },
  '/usr/lib/systemd/system/containerd.service': CONTAINERD_UNIT,
  '/usr/lib/systemd/system/kubelet.service': KUBELET_UNIT,
  '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_DROPIN,
};

/** A [Service] section with these lines. */
export const service = (...lines: string[]): string => `[Service]\n${lines.join('\n')}\n`;
