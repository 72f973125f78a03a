import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';
import { liveOf } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/cri-ready',
  title: 'The CRI plugin is loaded and RuntimeReady',
  severity: 'error',
  mode: 'live',
  aliases: kubeadmNamesOf('runtime/cri-ready'),
  rationale: 'containerd keeps running when its CRI plugin fails to load; kubelet then sees "unknown service runtime.v1.RuntimeService".',
  remediation: "Read the CRI plugin's load error (ctr plugins ls -d) and fix the configuration it names.",
  references: ['https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md'],
  applies: ({ model }) => {
    const cri = liveOf(model).cri;
    return cri.plugin === 'unknown' ? `The CRI plugin's state could not be read: ${cri.detail}` : undefined;
  },
  check: ({ model }) => {
    const { plugin, runtimeReady, detail, via } = liveOf(model).cri;
    const evidence = { path: '/live/cri', observed: plugin, expected: 'loaded' };
    if (plugin === 'missing')
      return [
        {
          message: `The running containerd has no CRI plugin (${via === 'ctr' ? 'ctr plugins ls' : 'crictl info'}: ${detail}); kubelet needs it loaded (check disabled_plugins).`,
          evidence,
          alias: 'CRI',
        },
      ];
    if (plugin === 'error')
      return [
        { message: `The running containerd's CRI plugin failed to load: ${detail}; it must load for kubelet to reach the runtime.`, evidence, alias: 'CRI' },
      ];
    if (runtimeReady === false)
      return [
        {
          message: `The CRI plugin is loaded but not RuntimeReady (${detail}); it must report RuntimeReady.`,
          evidence: { path: '/live/cri/runtimeReady', observed: false, expected: true },
          alias: 'CRI',
        },
      ];
    return [];
  },
});
