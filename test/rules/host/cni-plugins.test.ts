import { EXECUTABLE } from '../../helpers/node-root.js';
import { testRule } from '../../helpers/rule-tester.js';

const BRIDGE = JSON.stringify({
  cniVersion: '1.0.0',
  name: 'containerd-net',
  plugins: [{ type: 'bridge', ipam: { type: 'host-local' } }, { type: 'portmap' }],
});
const CALICO = JSON.stringify({
  name: 'k8s-pod-network',
  cniVersion: '0.3.1',
  plugins: [{ type: 'calico', kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } }, { type: 'portmap' }],
});
const PLUGINS = { '/opt/cni/bin/bridge': EXECUTABLE, '/opt/cni/bin/portmap': EXECUTABLE, '/opt/cni/bin/host-local': EXECUTABLE };

testRule('host/cni-plugins', {
  quiet: [
    { name: 'no CNI configuration before the join', files: { '/opt/cni/bin/bridge': EXECUTABLE } },
    { name: "containerd's bridge example with its plugins", files: { '/etc/cni/net.d/10-containerd-net.conflist': BRIDGE, ...PLUGINS } },
    {
      name: 'a single-plugin .conf',
      files: { '/etc/cni/net.d/10-bridge.conf': JSON.stringify({ name: 'b', type: 'bridge' }), ...PLUGINS, '/etc/cni/net.d/README': 'not a config' },
    },
  ],
  firing: [
    {
      name: 'a plugin type without a binary',
      files: { '/etc/cni/net.d/10-containerd-net.conflist': BRIDGE, '/opt/cni/bin/bridge': EXECUTABLE },
      violations: [
        {
          message: /^\/etc\/cni\/net\.d\/10-containerd-net\.conflist names the CNI plugin "portmap", but \/opt\/cni\/bin\/portmap does not exist\.$/,
          evidence: { file: '/etc/cni/net.d/10-containerd-net.conflist' },
        },
      ],
    },
    {
      name: "Calico's configuration left by an earlier join, without its plugin",
      files: { '/etc/cni/net.d/10-calico.conflist': CALICO, ...PLUGINS },
      violations: [
        { message: /names the CNI plugin "calico", but/ },
        { message: /is the "calico" configuration a cluster's network add-on writes after a join/ },
      ],
    },
    {
      name: 'no plugin directory at all, and a broken file',
      files: {
        '/etc/cni/net.d/10-bridge.conf': JSON.stringify({ name: 'b', type: 'bridge' }),
        '/etc/cni/net.d/20-bad.json': '{"name": ',
        '/etc/cni/net.d/30-odd.conflist': '{"plugins": "x"}',
        '/etc/cni/net.d/40-null.conf': 'null',
      },
      violations: [
        { message: /"bridge", but \/opt\/cni\/bin\/bridge cannot be found \(no plugin directory\)/ },
        { message: /^\/etc\/cni\/net\.d\/20-bad\.json is not a CNI configuration containerd can read/ },
      ],
    },
  ],
});
