import { defineRule, type Violation } from '../types.js';
import { at, q, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

/** Registries frozen by the Kubernetes project: images there are no longer updated. */
const FROZEN = ['k8s.gcr.io/'];

export default defineRule({
  id: 'containerd/sandbox-image',
  title: 'containerd uses the sandbox image the cluster expects',
  severity: 'error',
  mode: 'static',
  rationale:
    'kubelet asks containerd for the pause image of every pod sandbox; a mismatched image is pulled separately (failing on air-gapped or frozen registries such as k8s.gcr.io) and kubeadm does not warn on worker joins.',
  remediation: 'Set the sandbox image (sandbox_image on 1.x, pinned_images.sandbox on 2.x) to the checklist\'s image and restart containerd.',
  references: ['https://kubernetes.io/docs/setup/production-environment/container-runtimes/#override-pause-image-containerd', 'https://kubernetes.io/blog/2023/03/10/image-registry-redirect/'],
  applies: settingsUnknown,
  check: (ctx) => {
    const image = containerdOf(ctx).cri.sandboxImage;
    const out: Violation[] = [];
    const target = ctx.targets.sandboxImage;
    if (target && image.value !== target) {
      out.push({
        message: `the sandbox image is ${q(image.value)} (${where(image.source)}); expected ${q(target)} (${ctx.targets.sandboxImageOrigin}).`,
        evidence: { ...at(image.source), observed: image.value, expected: target },
      });
    }
    const frozen = FROZEN.find((r) => image.value.startsWith(r));
    if (frozen) {
      out.push({
        message: `the sandbox image ${q(image.value)} (${where(image.source)}) is on ${frozen.slice(0, -1)}, which the Kubernetes project froze in 2023; pull it from registry.k8s.io or a mirror.`,
        evidence: { ...at(image.source), observed: image.value, expected: 'an image outside k8s.gcr.io' },
      });
    }
    return out;
  },
});
