import t from 'tap';
import {
  normalizeSysctlKey,
  parseFstabSwaps,
  parseModulesLoad,
  parseProcModules,
  parseProcSwaps,
  parseResolvConf,
  parseSysctl,
} from '../../src/parsers/host-files.js';

t.test('/proc/swaps', async (t) => {
  t.same(parseProcSwaps('Filename Type Size Used Priority\n'), []);
  t.same(parseProcSwaps('Filename Type Size Used Priority\n/dev/dm-1   partition 100 0 -2\n/swapfile file 5 0 -3\n\n'), [
    { filename: '/dev/dm-1', type: 'partition', line: 2 },
    { filename: '/swapfile', type: 'file', line: 3 },
  ]);
  t.same(parseProcSwaps('Filename\n/x\n'), [{ filename: '/x', type: '', line: 2 }]);
});

t.test('fstab swap entries', async (t) => {
  t.same(parseFstabSwaps('# c\n\n/dev/a / ext4 defaults 0 1\n/dev/b none swap sw,noauto 0 0\n/swap none swap\n'), [
    { spec: '/dev/b', options: ['sw', 'noauto'], line: 4, noauto: true },
    { spec: '/swap', options: ['defaults'], line: 5, noauto: false },
  ]);
});

t.test('sysctl.d syntax', async (t) => {
  t.same(parseSysctl('# c\n; c\nnet.ipv4.ip_forward=1\n -net/bridge/bridge-nf-call-iptables = 0 \nbare\n'), [
    { key: 'net.ipv4.ip_forward', value: '1', line: 3, ignoreFailure: false },
    { key: 'net.bridge.bridge-nf-call-iptables', value: '0', line: 4, ignoreFailure: true },
  ]);
  t.equal(normalizeSysctlKey('net/ipv4/conf/eth0.100/rp_filter'), 'net.ipv4.conf.eth0.100.rp_filter', 'a dot stays part of a name with / separators');
});

t.test('modules and resolv.conf', async (t) => {
  t.same(parseModulesLoad('; c\n# c\n overlay \n\nbr_netfilter\n'), [
    { name: 'overlay', line: 3 },
    { name: 'br_netfilter', line: 5 },
  ]);
  t.same(parseProcModules('a 1 0 - Live 0x0\n\nb 2 1 a, Live 0x0\n'), ['a', 'b']);
  t.same(parseResolvConf('# x\n;y\nnameserver 1.1.1.1\nnameserver\ndomain a\nsearch b c\noptions ndots:5\n'), {
    nameservers: [{ address: '1.1.1.1', line: 3 }],
    search: { domains: ['b', 'c'], line: 6 },
  });
});
