import { testRule } from '../../helpers/rule-tester.js';

testRule('host/cgroup-v2', {
  quiet: [
    { name: 'unified hierarchy', files: { '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n' } },
    { name: 'an image without /sys', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /\/sys\/fs\/cgroup is not available/ },
  ],
  firing: [
    {
      name: 'cgroup v1 on Kubernetes 1.34 is a warning',
      files: { '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n' },
      checklist: { kubernetesVersion: '1.34' },
      severity: 'warning',
      violations: [{ message: /runs cgroup v1/, evidence: { expected: 'cgroup v2' } }],
    },
    {
      name: 'hybrid hierarchy on Kubernetes 1.35 is an error',
      files: { '/sys/fs/cgroup/unified/cgroup.controllers': '', '/sys/fs/cgroup/memory/tasks': '' },
      checklist: { kubernetesVersion: '1.35' },
      severity: 'error',
      violations: [{ message: /cgroup v1 \(legacy or hybrid\)/ }],
    },
    {
      name: 'a checklist severity override beats the version rule',
      files: { '/sys/fs/cgroup/memory/tasks': '' },
      checklist: { severity: { 'host/cgroup-v2': 'info' } },
      severity: 'info',
      violations: [{ message: /cgroup v1/, severity: 'info' }],
    },
  ],
});
