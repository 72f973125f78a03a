import { testRule } from '../../helpers/rule-tester.js';

testRule('host/hostname', {
  quiet: [
    { name: 'simple name', files: { '/etc/hostname': 'worker-1\n' } },
    {
      name: 'FQDN from the live kernel wins over /etc/hostname',
      files: { '/proc/sys/kernel/hostname': 'worker-1.corp.example\n', '/etc/hostname': 'Old_Name\n' },
    },
    { name: 'comments in /etc/hostname', files: { '/etc/hostname': '# set by cloud-init\n\nnode-7\n' } },
    {
      name: 'unknown hostname',
      files: { '/etc/hosts': '127.0.0.1 localhost\n' },
      status: 'not-applicable',
      reason: /Neither \/proc\/sys\/kernel\/hostname nor \/etc\/hostname/,
    },
  ],
  firing: [
    {
      name: 'capitals only: kubeadm lowercases the name, so it is information',
      files: { '/etc/hostname': 'Worker-1\n' },
      severity: 'info',
      violations: [
        {
          message: /^the hostname "Worker-1" \(\/etc\/hostname\) has capitals; kubeadm lowercases it, so the node registers as "worker-1"\.$/,
          severity: 'info',
          evidence: { file: '/etc/hostname', line: 1, expected: 'worker-1' },
        },
      ],
    },
    {
      name: 'an underscore: kubeadm refuses the node name (an error)',
      files: { '/etc/hostname': 'Worker_1\n' },
      severity: 'error',
      violations: [
        {
          message: /the node name "worker_1" that kubeadm derives from the hostname "Worker_1" \(\/etc\/hostname\) is not an RFC 1123 name/,
          severity: 'error',
          evidence: { observed: 'Worker_1' },
        },
      ],
    },
    {
      name: 'too long',
      files: { '/etc/hostname': `node.${'a'.repeat(250)}\n` },
      violations: [{ message: /is 255 characters long; kubeadm refuses node names over 253/, severity: 'error' }],
    },
    {
      name: 'a label ending in a dash',
      files: { '/etc/hostname': 'node-.example\n' },
      violations: [{ message: /is not an RFC 1123 name/ }],
    },
  ],
});
