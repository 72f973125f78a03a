import { CNI_BIN_DIR } from '../../model/join.js';
import { defineRule, type Violation } from '../types.js';

/**
 * Plugin types that a cluster's network add-on installs from its DaemonSet
 * after the node joined: a node that was never joined has none of them.
 */
const CLUSTER_PLUGINS = ['calico', 'flannel', 'cilium-cni', 'weave-net', 'antrea', 'kube-ovn', 'multus', 'multus-shim'];

export default defineRule({
  id: 'host/cni-plugins',
  title: 'The CNI configuration names plugins that exist, and none is left from an earlier join',
  severity: 'warning',
  mode: 'static',
  rationale:
    'containerd sets up pod networks with the first configuration in /etc/cni/net.d and the plugins in /opt/cni/bin: a type with no binary fails every pod sandbox ("failed to find plugin"), and a configuration a network add-on wrote for another cluster (Calico, Cilium, Flannel, …) points pods at that cluster until the add-on of this one replaces it.',
  remediation:
    'Install the CNI plugins the configuration names into /opt/cni/bin (the containernetworking-plugins package), and remove configurations a previous cluster left in /etc/cni/net.d (kubeadm reset does not).',
  references: [
    'https://www.cni.dev/docs/spec/#network-configuration-lists',
    'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/#cleanup-of-cni-configuration',
  ],
  check: ({ model }) => {
    const { configs, plugins } = model.join.cni;
    const out: Violation[] = [];
    for (const c of configs) {
      if (c.error !== undefined) {
        out.push({
          message: `${c.file} is not a CNI configuration containerd can read (${c.error}).`,
          evidence: { file: c.file, observed: c.error, expected: 'valid JSON' },
        });
        continue;
      }
      for (const type of c.types.filter((t) => !(plugins ?? []).includes(t))) {
        out.push({
          message: `${c.file} names the CNI plugin "${type}", but ${CNI_BIN_DIR}/${type} ${plugins === null ? 'cannot be found (no plugin directory)' : 'does not exist'}.`,
          evidence: { file: c.file, path: 'type', observed: null, expected: `${CNI_BIN_DIR}/${type}` },
        });
      }
      const addOn = c.types.find((t) => CLUSTER_PLUGINS.includes(t));
      if (addOn) {
        out.push({
          message: `${c.file} is the "${addOn}" configuration a cluster's network add-on writes after a join; this node is not joined yet, so it is left from an earlier cluster.`,
          evidence: { file: c.file, path: 'type', observed: addOn, expected: 'no network add-on configuration before the join' },
        });
      }
    }
    return out;
  },
});
