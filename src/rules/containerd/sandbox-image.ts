import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/sandbox-image",
  title: "containerd uses the sandbox image the cluster expects",
  severity: 'error',
  mode: 'static',
  rationale:
    "kubelet asks containerd for the pause image of every pod sandbox; a mismatched image is pulled separately (failing on air-gapped or frozen registries such as k8s.gcr.io) and kubeadm does not warn on worker joins.",
  remediation:
    "Set the sandbox image (sandbox_image on 1.x, pinned_images.sandbox on 2.x) to the checklist's image and restart containerd.",
  references: [
    "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#override-pause-image-containerd",
    "https://kubernetes.io/blog/2023/03/10/image-registry-redirect/",
  ],
});
