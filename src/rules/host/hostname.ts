import { defineRule } from '../types.js';
import { at, q } from '../helpers.js';

export default defineRule({
  id: 'host/hostname',
  title: 'The hostname is a valid lowercase RFC 1123 name',
  severity: 'warning',
  mode: 'static',
  aliases: ['Hostname'],
  rationale:
    'The node name defaults to the hostname; kubelet cannot register a name that is not a lowercase RFC 1123 subdomain (letters, digits, "-" and ".", at most 253 characters).',
  remediation: 'Set a lowercase RFC 1123 hostname with hostnamectl set-hostname, or pass a valid --node-name to kubeadm join.',
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names'],
  target: '/host/hostname/value',
  schema: {
    type: 'string',
    maxLength: 253,
    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  },
  describe: (error, value, { model }) => {
    const source = model.host.hostname!.source;
    const why =
      error.keyword === 'maxLength'
        ? `is ${String(value).length} characters long; at most 253 are allowed`
        : 'is not a lowercase RFC 1123 name (lowercase letters, digits, "-" inside labels, "." between them)';
    return {
      message: `the hostname ${q(value)} (${source.file}) ${why}.`,
      evidence: { ...at(source), observed: value, expected: 'a lowercase RFC 1123 subdomain' },
    };
  },
});
