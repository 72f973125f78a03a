import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/critical-images-pullable",
  title: "The critical images are present or pullable",
  severity: 'error',
  mode: 'live',
  rationale:
    "A sandbox image that cannot be pulled stops every pod on the node.",
  remediation:
    "Make the images pullable (mirror, credentials, proxy) or preload them with ctr -n k8s.io images import.",
  references: [
    "https://kubernetes.io/docs/concepts/containers/images/",
  ],
});
