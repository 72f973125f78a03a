/**
 * PEM certificates: find the blocks in a file's text and read each one's
 * validity and subject from its DER (RFC 5280 §4.1), offline and without
 * node:crypto, so the pure layers stay runnable anywhere (a controller, a
 * browser). Only the structure is checked, not the signature: the question a
 * site check asks is "is this a certificate, and until when", not "do I trust it".
 */

/** One `-----BEGIN CERTIFICATE-----` block of a text. */
export interface PemCertificate {
  /** 1-based line of the BEGIN armour. */
  line: number;
  /** Start of validity (ISO 8601, UTC), null when the block is not a certificate. */
  notBefore: string | null;
  /** End of validity (ISO 8601, UTC), null when the block is not a certificate. */
  notAfter: string | null;
  /** The subject's common name (CN), null when it has none or the block is not a certificate. */
  subject: string | null;
  /** Why the block is not an X.509 certificate, when it is not. */
  error?: string;
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/** Every certificate block of a PEM text, in file order (an unterminated block included, with its error). */
export function parsePemCertificates(text: string): PemCertificate[] {
  const out: PemCertificate[] = [];
  let from = 0;
  for (let start = text.indexOf(BEGIN, from); start >= 0; start = text.indexOf(BEGIN, from)) {
    const line = countLines(text, start);
    const bodyStart = start + BEGIN.length;
    const end = text.indexOf(END, bodyStart);
    if (end < 0) {
      out.push(failed(line, 'the block has no -----END CERTIFICATE----- line'));
      break;
    }
    out.push({ line, ...readCertificate(text.slice(bodyStart, end)) });
    from = end + END.length;
  }
  return out;
}

function countLines(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function failed(line: number, error: string): PemCertificate {
  return { line, notBefore: null, notAfter: null, subject: null, error };
}

type Decoded = Omit<PemCertificate, 'line'>;

function readCertificate(body: string): Decoded {
  const b64 = body.replace(/\s+/g, '');
  let bytes: Uint8Array;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new Error();
    bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return { notBefore: null, notAfter: null, subject: null, error: 'the block is not base64' };
  }
  try {
    return decodeCertificate(bytes);
  } catch (err) {
    return { notBefore: null, notAfter: null, subject: null, error: `not an X.509 certificate: ${(err as Error).message}` };
  }
}

/** One DER element: its tag, and where its contents are. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const VERSION = 0xa0;
/** 2.5.4.3, commonName. */
const CN_OID = [0x55, 0x04, 0x03];

/** Read the element at `offset` of `bytes`, which must end by `limit`. */
function element(bytes: Uint8Array, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw new Error('truncated');
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // DER has no indefinite length; four length bytes cover any certificate.
    if (count === 0 || count > 4 || start + count > limit) throw new Error('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  if (start + length > limit) throw new Error('truncated');
  return { tag, start, end: start + length };
}

/** The children of a constructed element, each checked to be of the expected tag where one is given. */
function children(bytes: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.end) out.push(element(bytes, at, parent.end));
  return out;
}

function expect(e: Element | undefined, tag: number, what: string): Element {
  if (!e || e.tag !== tag) throw new Error(`expected ${what}`);
  return e;
}

function decodeCertificate(bytes: Uint8Array): Decoded {
  const cert = expect(element(bytes, 0, bytes.length), SEQUENCE, 'a SEQUENCE');
  if (cert.end !== bytes.length) throw new Error('bytes after the certificate');
  const [tbs, algorithm, signature, ...extra] = children(bytes, cert);
  expect(tbs, SEQUENCE, 'tbsCertificate');
  expect(algorithm, SEQUENCE, 'signatureAlgorithm');
  expect(signature, BIT_STRING, 'signatureValue');
  if (extra.length > 0) throw new Error('extra fields after the signature');
  const fields = children(bytes, tbs!);
  // version [0] EXPLICIT is absent in v1 certificates.
  const at = fields[0]?.tag === VERSION ? 1 : 0;
  expect(fields[at], INTEGER, 'serialNumber');
  expect(fields[at + 1], SEQUENCE, 'signature');
  expect(fields[at + 2], SEQUENCE, 'issuer');
  const validity = children(bytes, expect(fields[at + 3], SEQUENCE, 'validity'));
  const subject = expect(fields[at + 4], SEQUENCE, 'subject');
  expect(fields[at + 5], SEQUENCE, 'subjectPublicKeyInfo');
  if (validity.length !== 2) throw new Error('validity has no notBefore and notAfter');
  return { notBefore: readTime(bytes, validity[0]!), notAfter: readTime(bytes, validity[1]!), subject: commonName(bytes, subject) };
}

/** RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY < 50 is 20YY) or GeneralizedTime YYYYMMDDHHMMSSZ. */
function readTime(bytes: Uint8Array, e: Element): string {
  const text = String.fromCharCode(...bytes.subarray(e.start, e.end));
  const m =
    e.tag === UTC_TIME
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text)
      : e.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text)
        : null;
  if (!m) throw new Error(`bad time ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const fullYear = e.tag === UTC_TIME ? (year < 50 ? 2000 + year : 1900 + year) : year;
  const ms = Date.UTC(fullYear, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    throw new Error(`bad time ${JSON.stringify(text)}`);
  return date.toISOString().replace('.000Z', 'Z');
}

/** The first commonName of a Name (a SEQUENCE of SETs of {type, value}). */
function commonName(bytes: Uint8Array, name: Element): string | null {
  for (const rdn of children(bytes, name)) {
    expect(rdn, SET, 'a RelativeDistinguishedName');
    for (const attribute of children(bytes, rdn)) {
      const [type, value] = children(bytes, expect(attribute, SEQUENCE, 'an attribute'));
      const oid = expect(type, OID, 'an attribute type');
      if (value && oid.end - oid.start === CN_OID.length && CN_OID.every((b, i) => bytes[oid.start + i] === b)) {
        return new TextDecoder(value.tag === 0x1e ? 'utf-16be' : 'utf-8').decode(bytes.subarray(value.start, value.end));
      }
    }
  }
  return null;
}
