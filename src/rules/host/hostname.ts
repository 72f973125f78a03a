import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';
import { at, q } from '../helpers.js';

const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export default defineRule({
  id: 'host/hostname',
  title: 'The node name kubeadm derives from the hostname is a valid RFC 1123 name',
  severity: 'warning',
  mode: 'static',
  aliases: kubeadmNamesOf('host/hostname'),
  rationale:
    'Without --node-name, kubeadm names the node after the hostname, lowercased (capitals are only worth knowing about). kubeadm\'s configuration validation then requires a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters): a "_" or any other character stops the join, and --ignore-preflight-errors cannot skip it.',
  remediation: 'Set a lowercase RFC 1123 hostname with hostnamectl set-hostname, or pass a valid --node-name to kubeadm join.',
  references: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names',
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/util/node.go',
  ],
  applies: ({ model }) => (model.host.hostname ? undefined : 'Neither /proc/sys/kernel/hostname nor /etc/hostname names the host'),
  check: ({ model }) => {
    const { value, source } = model.host.hostname!;
    const name = value.toLowerCase();
    const evidence = { ...at(source), observed: value, expected: 'a lowercase RFC 1123 subdomain' };
    if (name.length > 253) {
      return [
        {
          message: `the hostname ${q(value)} (${source.file}) is ${name.length} characters long; kubeadm refuses node names over 253.`,
          evidence,
          severity: 'error',
        },
      ];
    }
    if (!RFC1123_SUBDOMAIN.test(name)) {
      return [
        {
          message: `the node name ${q(name)} that kubeadm derives from the hostname ${q(value)} (${source.file}) is not an RFC 1123 name (lowercase letters, digits, "-" inside labels, "." between them); kubeadm join refuses it.`,
          evidence,
          severity: 'error',
        },
      ];
    }
    if (name !== value) {
      return [
        {
          message: `the hostname ${q(value)} (${source.file}) has capitals; kubeadm lowercases it, so the node registers as ${q(name)}.`,
          evidence: { ...evidence, expected: name },
          severity: 'info',
        },
      ];
    }
    return [];
  },
});
