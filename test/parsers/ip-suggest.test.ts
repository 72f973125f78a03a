import t from 'tap';
import { cidrContains, cidrCovers, formatIp, isLoopback, parseCidr, parseIp } from '../../src/parsers/ip.js';
import { editDistance, suggest } from '../../src/parsers/suggest.js';

t.test('IPv4 as Go parses it', async (t) => {
  t.equal(formatIp(parseIp('10.0.0.1')!), '10.0.0.1');
  for (const bad of ['010.0.0.1', '256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '']) t.equal(parseIp(bad), null, bad);
});

t.test('IPv6 forms', async (t) => {
  t.equal(formatIp(parseIp('::1')!), '::1');
  t.equal(formatIp(parseIp('fd00:0:0:0:0:0:0:1')!), 'fd00::1');
  t.equal(formatIp(parseIp('2001:db8::')!), '2001:db8::');
  t.equal(formatIp(parseIp('1:2:3:4:5:6:7:8')!), '1:2:3:4:5:6:7:8');
  t.equal(formatIp(parseIp('1:0:1:0:1:0:1:0')!), '1:0:1:0:1:0:1:0', 'a single zero group is not compressed');
  t.equal(formatIp(parseIp('::ffff:10.0.0.1')!), '::ffff:a00:1');
  t.same([...parseIp('64:ff9b::192.0.2.33')!.bytes.slice(12)], [192, 0, 2, 33]);
  for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', ':::', '1:2:3:4:5:6:7', '::1.2.3.999', '1::2:3:4:5:6:7:8']) t.equal(parseIp(bad), null, bad);
});

t.test('CIDRs', async (t) => {
  const svc = parseCidr('10.96.0.0/12')!;
  t.ok(cidrContains(svc, parseIp('10.96.0.1')!));
  t.ok(cidrContains(svc, parseIp('10.111.255.255')!));
  t.notOk(cidrContains(svc, parseIp('10.112.0.0')!));
  t.ok(cidrContains(svc, parseIp('::ffff:10.96.0.10')!), 'IPv4-mapped addresses match IPv4 CIDRs');
  t.ok(cidrCovers(parseCidr('10.0.0.0/8')!, svc));
  t.notOk(cidrCovers(svc, parseCidr('10.0.0.0/8')!));
  t.ok(cidrContains(parseCidr('fd00::/8')!, parseIp('fd12::1')!));
  t.ok(cidrContains(parseCidr('10.96.5.7/12')!, parseIp('10.96.0.1')!), 'host bits are masked');
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', 'x/8', '10.0.0.0/08']) t.equal(parseCidr(bad), null, bad);
});

t.test('loopback', async (t) => {
  t.ok(isLoopback(parseIp('127.8.9.10')!));
  t.ok(isLoopback(parseIp('::1')!));
  t.ok(isLoopback(parseIp('::ffff:127.0.0.1')!));
  t.notOk(isLoopback(parseIp('0.0.0.0')!));
  t.notOk(isLoopback(parseIp('::2')!));
});

t.test('suggestions', async (t) => {
  t.equal(editDistance('kitten', 'sitting'), 3);
  t.equal(suggest('swp', ['Swap', 'Hostname']), 'Swap');
  t.equal(suggest('systemdcgroup', ['SystemdCgroup', 'systemd_cgroup']), 'SystemdCgroup');
  t.equal(suggest('polcy', ['policy', 'url']), 'policy');
  t.equal(suggest('zzz', ['policy']), undefined);
  t.equal(suggest('policy', ['policy']), undefined, 'an exact match is not a suggestion');
  t.equal(suggest('POLICY', ['policy']), 'policy', 'a case difference is');
});
