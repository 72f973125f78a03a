import { defineRule, type Violation } from '../types.js';
import { criticalImages, fullReference, liveOf, unavailable } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/critical-images-pullable',
  title: 'The critical images are present or pullable',
  severity: 'error',
  mode: 'live',
  rationale: 'A sandbox image that cannot be pulled stops every pod on the node.',
  remediation: 'Make the images pullable (mirror, credentials, proxy) or preload them with ctr -n k8s.io images import.',
  references: ['https://kubernetes.io/docs/concepts/containers/images/'],
  applies: ({ model }) => {
    const listed = liveOf(model).images.listed;
    if (!listed) return "The runtime's images were not listed in this snapshot";
    return listed.state === 'ok' ? undefined : unavailable("The runtime's images", listed);
  },
  check: ({ model, checklist, targets }) => {
    const { listed, pulls } = liveOf(model).images;
    const present = new Set(listed!.refs);
    const missing = criticalImages(checklist, targets).filter((ref) => !present.has(fullReference(ref)) && !present.has(ref));
    const violations = missing.flatMap((ref): Violation[] => {
      const pull = pulls[ref];
      if (pull?.state === 'ok' || !pull) return [];
      return [
        {
          message: `${ref} is not in the runtime's image store and pulling it through the CRI failed (${pull.detail}); pods that need it cannot start.`,
          evidence: { path: `/live/images/pulls/${ref}`, observed: pull.detail, expected: 'present or pullable' },
        },
      ];
    });
    const untried = missing.filter((ref) => !pulls[ref]);
    if (violations.length === 0 && untried.length > 0) {
      return {
        notApplicable: `${untried.join(', ')} ${untried.length > 1 ? 'are' : 'is'} not in the runtime's image store; run with --pull to try pulling (it writes to the image store)`,
      };
    }
    return violations;
  },
});
