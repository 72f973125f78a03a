import { defineRule, type Violation } from '../types.js';
import { at, q, where } from '../helpers.js';
import { droppedFix, settingsUnknown, containerdOf } from '../containerd-support.js';

/** Registries frozen by the Kubernetes project: images there are no longer updated. */
const FROZEN = ['k8s.gcr.io/'];

export default defineRule({
  id: 'containerd/sandbox-image',
  title: 'containerd uses the sandbox image the cluster expects',
  severity: 'error',
  mode: 'static',
  rationale:
    'kubelet asks containerd for the pause image of every pod sandbox. kubeadm only logs a different image (on control-plane joins): a newer pause, or the same one from a mirror, works and is noted; an older one is a warning; an image on the frozen k8s.gcr.io, which no longer gets updates and is failing air-gapped pulls, is an error, and so is any other image than the one a checklist names explicitly.',
  remediation: "Set the sandbox image (sandbox_image on 1.x, pinned_images.sandbox on 2.x) to the checklist's image and restart containerd.",
  references: [
    'https://kubernetes.io/docs/setup/production-environment/container-runtimes/#override-pause-image-containerd',
    'https://kubernetes.io/blog/2023/03/10/image-registry-redirect/',
  ],
  applies: settingsUnknown,
  check: (ctx) => {
    const image = containerdOf(ctx).cri.sandboxImage;
    const out: Violation[] = [];
    const target = ctx.targets.sandboxImage;
    if (target && image.value !== target) {
      const base = {
        message: `the sandbox image is ${q(image.value)} (${where(image.source)}); expected ${q(target)} (${ctx.targets.sandboxImageOrigin}).`,
        evidence: { ...at(image.source), observed: image.value, expected: target },
        ...droppedFix(image.source),
      };
      // A checklist that names an image wants exactly it; kubeadm's default is a floor, not a pin.
      const order = ctx.checklist.sandboxImage ? null : comparePause(image.value, target);
      if (order === null) out.push(base);
      else if (order < 0)
        out.push({ ...base, severity: 'warning', message: `${base.message.slice(0, -1)}, and the pause image is older than the one kubeadm uses.` });
      else
        out.push({
          ...base,
          severity: 'info',
          message: `${base.message.slice(0, -1)}; a newer or mirrored pause image works (kubeadm only logs the difference).`,
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

/** The numeric parts of a pause tag ("3.10.1" → [3, 10, 1]), or null for another tag. */
function pauseVersion(image: string): number[] | null {
  const m = /(?:^|\/)pause:([0-9]+(?:\.[0-9]+)*)$/.exec(image);
  return m ? m[1]!.split('.').map(Number) : null;
}

/**
 * How a pause image compares with kubeadm's: below 0 older, 0 the same tag
 * (from another registry or mirror), above 0 newer; null when either is not a
 * versioned pause image (then only an exact match will do).
 */
export function comparePause(image: string, target: string): number | null {
  const a = pauseVersion(image);
  const b = pauseVersion(target);
  if (!a || !b) return null;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
