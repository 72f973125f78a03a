import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { parsePemCertificates } from '../../src/parsers/x509.js';

const CERTS = new URL('../fixtures/certs/', import.meta.url).pathname;
const pem = (name: string): string => readFileSync(`${CERTS}${name}`, 'utf8');

t.test('real certificates read as node:crypto reads them (the oracle)', async (t) => {
  const files = readdirSync(CERTS).filter((f) => f.endsWith('.pem'));
  t.ok(files.length >= 6);
  for (const file of files) {
    const [got] = parsePemCertificates(pem(file));
    const oracle = new X509Certificate(pem(file));
    t.equal(got?.error, undefined, `${file} decodes`);
    t.equal(got?.notBefore, new Date(oracle.validFrom).toISOString().replace('.000Z', 'Z'), `${file}: notBefore`);
    t.equal(got?.notAfter, new Date(oracle.validTo).toISOString().replace('.000Z', 'Z'), `${file}: notAfter`);
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(oracle.subject)?.[1] ?? null;
    t.equal(got?.subject, cn, `${file}: subject CN`);
    t.equal(got?.line, 1);
  }
  t.match(parsePemCertificates(pem('generalized-time.pem'))[0], { notAfter: '2060-01-01T00:00:00Z' }, 'GeneralizedTime from 2050');
  t.match(
    parsePemCertificates(pem('v1-utctime.pem'))[0],
    { notBefore: '2025-01-01T00:00:00Z', subject: 'Example Site Root CA' },
    'version 1: no version field',
  );
  t.equal(parsePemCertificates(pem('v3-utf8-cn.pem'))[0]!.subject, 'Site CA é', 'a UTF-8 CN after another attribute');
  t.equal(parsePemCertificates(pem('v3-no-cn.pem'))[0]!.subject, null, 'no CN');
});

t.test('a bundle: every block, with its line; text around blocks is ignored', async (t) => {
  const bundle = `# site bundle\n${pem('v1-utctime.pem')}\nsome text\n${pem('expired-2021.pem')}`;
  const got = parsePemCertificates(bundle);
  t.same(
    got.map((c) => [c.line, c.subject]),
    [
      [2, 'Example Site Root CA'],
      [13, 'expired'],
    ],
  );
  t.same(parsePemCertificates('no certificates here\n'), []);
  t.same(parsePemCertificates(''), []);
});

// DER built by hand, for the shapes a real certificate never has.
const bytes = (text: string): number[] => [...new TextEncoder().encode(text)];
function tlv(tag: number, ...parts: number[][]): number[] {
  const body = parts.flat();
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...length, ...body];
}
const utc = (s: string): number[] => tlv(0x17, bytes(s));
const cn = (value: number[], tag = 0x0c): number[] => tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x03]), tlv(tag, value)));
const org = (value: string): number[] => tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x0a]), tlv(0x13, bytes(value))));
interface Parts {
  version?: boolean;
  validity?: number[][];
  subject?: number[][];
  tail?: number[][];
  after?: number[];
  fields?: number[][];
}
function der(p: Parts = {}): number[] {
  const fields = p.fields ?? [
    ...(p.version === false ? [] : [tlv(0xa0, tlv(0x02, [2]))]),
    tlv(0x02, [1]),
    tlv(0x30, tlv(0x06, [0x2a, 0x86, 0x48])),
    tlv(0x30, org('Issuer')),
    tlv(0x30, ...(p.validity ?? [utc('250101000000Z'), utc('350101000000Z')])),
    tlv(0x30, ...(p.subject ?? [cn(bytes('x'))])),
    tlv(0x30, tlv(0x30), tlv(0x03, [0])),
  ];
  return [...tlv(0x30, tlv(0x30, ...fields), tlv(0x30, tlv(0x06, [0x2a])), tlv(0x03, [0, 1, 2]), ...(p.tail ?? [])), ...(p.after ?? [])];
}
const armour = (d: number[]): string => `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...d))}\n-----END CERTIFICATE-----\n`;
const read = (d: number[]) => parsePemCertificates(armour(d))[0]!;

t.test('hand-made DER: what decodes', async (t) => {
  t.match(read(der()), { notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z', subject: 'x' });
  t.match(read(der({ version: false })), { subject: 'x' }, 'without a version');
  t.match(
    read(der({ validity: [utc('950101000000Z'), utc('491231235959Z')] })),
    { notBefore: '1995-01-01T00:00:00Z', notAfter: '2049-12-31T23:59:59Z' },
    'UTCTime years: 50-99 are 19xx, 00-49 20xx',
  );
  t.match(read(der({ validity: [tlv(0x18, bytes('20250101000000Z')), tlv(0x18, bytes('21000101000000Z'))] })), { notAfter: '2100-01-01T00:00:00Z' });
  const bmp = [0x00, 0x41, 0x00, 0xe9];
  t.equal(read(der({ subject: [cn(bmp, 0x1e)] })).subject, 'Aé', 'a BMPString CN');
  t.equal(read(der({ subject: [org('Only O')] })).subject, null, 'no CN');
  const typeOnly = tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x03])));
  t.equal(read(der({ subject: [typeOnly, cn(bytes('second'))] })).subject, 'second', 'an attribute without a value is passed over');
  const long = 'a'.repeat(300);
  t.equal(read(der({ subject: [cn(bytes(long))] })).subject, long, 'two-byte lengths');
});

t.test('hand-made DER: what does not, and why', async (t) => {
  const cases: [string, number[], RegExp][] = [
    ['bytes after the certificate', der({ after: [0] }), /bytes after the certificate/],
    ['a field after the signature', der({ tail: [tlv(0x05)] }), /extra fields after the signature/],
    ['no tbsCertificate', tlv(0x30, tlv(0x02, [1])), /expected tbsCertificate/],
    ['not a sequence', tlv(0x02, [1]), /expected a SEQUENCE/],
    ['one validity time', der({ validity: [utc('250101000000Z')] }), /validity has no notBefore and notAfter/],
    ['a time of another type', der({ validity: [tlv(0x0c, bytes('250101000000Z')), utc('350101000000Z')] }), /bad time/],
    ['a time without Z', der({ validity: [utc('2501010000'), utc('350101000000Z')] }), /bad time "2501010000"/],
    ['February 30', der({ validity: [utc('250230000000Z'), utc('350101000000Z')] }), /bad time "250230000000Z"/],
    ['hour 24', der({ validity: [utc('250101240000Z'), utc('350101000000Z')] }), /bad time/],
    ['minute 60', der({ validity: [utc('250101006000Z'), utc('350101000000Z')] }), /bad time/],
    ['second 60', der({ validity: [utc('250101000060Z'), utc('350101000000Z')] }), /bad time/],
    ['an RDN that is not a SET', der({ subject: [tlv(0x30)] }), /expected a RelativeDistinguishedName/],
    ['an attribute that is not a SEQUENCE', der({ subject: [tlv(0x31, tlv(0x05))] }), /expected an attribute$/],
    ['an attribute type that is not an OID', der({ subject: [tlv(0x31, tlv(0x30, tlv(0x02, [1]), tlv(0x0c, [0x41])))] }), /expected an attribute type/],
    ['an empty certificate', [], /truncated/],
    ['a length past the end', [0x30, 0x05, 0x00], /truncated/],
    ['indefinite length', [0x30, 0x80, 0x00, 0x00], /bad length/],
    ['five length bytes', [0x30, 0x85, 0, 0, 0, 0, 1], /bad length/],
    ['length bytes past the end', [0x30, 0x82, 0x01], /bad length/],
    ['missing fields', der({ fields: [tlv(0x02, [1])] }), /expected signature/],
  ];
  for (const [name, d, error] of cases)
    t.match(read(d), { notBefore: null, notAfter: null, subject: null, error: new RegExp(`^not an X.509 certificate: ${error.source}`) }, name);
});

t.test('blocks that are not base64, or not closed', async (t) => {
  t.match(parsePemCertificates('-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n')[0], { line: 1, error: 'the block is not base64' });
  t.match(
    parsePemCertificates('-----BEGIN CERTIFICATE-----\nQUJD\nRA\n-----END CERTIFICATE-----\n')[0],
    { error: 'the block is not base64' },
    'a length that is not a multiple of 4',
  );
  t.match(parsePemCertificates('-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n')[0], { error: /^not an X.509 certificate/ });
  const unterminated = parsePemCertificates(`${pem('v1-utctime.pem')}\n-----BEGIN CERTIFICATE-----\nQUJD\n`);
  t.same(
    unterminated.map((c) => [c.line, c.error]),
    [
      [1, undefined],
      [11, 'the block has no -----END CERTIFICATE----- line'],
    ],
  );
});
