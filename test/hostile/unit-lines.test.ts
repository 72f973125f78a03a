import t from 'tap';
import { parseUnitFile } from '../../src/parsers/systemd-unit.js';

const SERVICE = { sections: ['Service'], keys: { Service: ['Environment'] } };

t.test('the 1 MiB line limit counts UTF-8 bytes of every width, across continuations, in linear time', async (t) => {
  // 😀 is 4 bytes (a surrogate pair), a lone surrogate 3 (written as U+FFFD), é 2.
  const line = (body: string): string => `[Service]\nEnvironment=A=${body}\n`;
  const prefix = 'Environment=A='.length;
  const exact = '😀'.repeat((1024 * 1024 - prefix) / 2 / 2);
  t.equal(parseUnitFile(line(exact.slice(0, -2) + '\uD800é'), SERVICE).aborted, false, 'exactly 1 MiB less one byte');
  t.equal(parseUnitFile(line(exact + 'xxx'), SERVICE).aborted, true, 'one byte over');
  // 100,000 continuation lines of one character each: joined once, not once per line.
  const start = Date.now();
  const continued = parseUnitFile(`[Service]\nEnvironment=A=${'x\\\n'.repeat(100_000)}x\n`, SERVICE);
  t.equal(continued.aborted, false);
  t.equal(continued.assignments[0]?.value.length, 'A='.length + 100_000 * 2 + 1);
  t.ok(Date.now() - start < 3000, `${Date.now() - start} ms`);
});
