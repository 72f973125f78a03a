import { testRule } from '../../helpers/rule-tester.js';

testRule('host/hostname', {
  quiet: [
    { name: 'simple name', files: { '/etc/hostname': 'worker-1\n' } },
    { name: 'FQDN from the live kernel wins over /etc/hostname', files: { '/proc/sys/kernel/hostname': 'worker-1.corp.example\n', '/etc/hostname': 'Old_Name\n' } },
    { name: 'comments in /etc/hostname', files: { '/etc/hostname': '# set by cloud-init\n\nnode-7\n' } },
    { name: 'unknown hostname', files: { '/etc/hosts': '127.0.0.1 localhost\n' }, status: 'not-applicable', reason: /nothing at \/host\/hostname\/value/ },
  ],
  firing: [
    {
      name: 'upper case and underscore',
      files: { '/etc/hostname': 'Worker_1\n' },
      violations: [{ message: /the hostname "Worker_1" \(\/etc\/hostname\) is not a lowercase RFC 1123 name/, evidence: { file: '/etc/hostname', line: 1, observed: 'Worker_1' } }],
    },
    {
      name: 'a label ending in a dash, too long',
      files: { '/etc/hostname': `node-.${'a'.repeat(250)}\n` },
      violations: [{ message: /is 256 characters long; at most 253/ }, { message: /is not a lowercase RFC 1123 name/ }],
    },
  ],
});
