import { defineRule } from '../types.js';
import { notCollected } from '../helpers.js';

export default defineRule({
  id: 'crictl/config-parses',
  title: 'crictl accepts its configuration file',
  severity: 'error',
  mode: 'static',
  rationale:
    'crictl silently ignores a default configuration file it cannot parse (invalid YAML, an unknown key, a timeout that is not an integer) and falls back to probing deprecated endpoints, so the file looks right but has no effect.',
  remediation:
    'Keep /etc/crictl.yaml to the keys runtime-endpoint, image-endpoint, timeout (integer seconds), debug, pull-image-on-create and disable-pull-on-run, and make it valid YAML.',
  references: [
    'https://github.com/kubernetes-sigs/cri-tools/blob/master/docs/crictl.md',
    'https://github.com/kubernetes-sigs/cri-tools/blob/master/pkg/common/file.go',
  ],
  applies: ({ model }) => {
    const { file } = model.crictl;
    if (file.state === 'missing') return '/etc/crictl.yaml does not exist (see crictl/config-present)';
    return notCollected(file);
  },
  check: ({ model }) => {
    const { file, problems } = model.crictl;
    if (file.state === 'unreadable') {
      return [{ message: `${file.path} cannot be read (${file.error?.message}); crictl cannot use it either.`, evidence: { file: file.path } }];
    }
    if (file.state === 'invalid') {
      const e = file.error!;
      return [
        {
          message: `${file.path}:${e.line}:${e.column} is not valid YAML (${e.message}); crictl silently ignores the whole file.`,
          evidence: { file: file.path, line: e.line, column: e.column, observed: e.message },
        },
      ];
    }
    return problems.map((p) => ({
      message: `${file.path}:${p.line}: ${p.message}; crictl rejects it and ignores the whole file.`,
      evidence: { file: file.path, line: p.line, column: p.column, path: p.key },
    }));
  },
});
