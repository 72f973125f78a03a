/**
 * Secrets in kubelet's YAML configuration, in JSON (`crictl info`, which
 * prints the CRI plugin's whole configuration, registry credentials
 * included), in PEM files, key files, and text of no known format.
 */
import type { Node } from 'yaml';
import { load as loadYaml } from '../../lazy/yaml.js';
import { parseYamlDocument } from '../../parsers/yaml.js';
import { DecodedBuilder, rawSpan, type Decoded, type SecretSpan } from './span.js';
import { passwordReplacement, urlPasswords } from './url.js';

/**
 * Keep a scalar's line structure: the marker on its first line, each later
 * line reduced to its indentation, so the document keeps its shape and every
 * later key its line.
 */
function keepLines(raw: string, marker: string): string {
  const lines = raw.split('\n');
  return [marker, ...lines.slice(1).map((l) => /^[ \t]*/.exec(l)![0])].join('\n');
}

/**
 * kubelet's configuration: every value of `staticPodURLHeader` (headers sent
 * with the static pod URL, such as Authorization), and URL passwords in any
 * string (`staticPodURL: https://user:pw@…`).
 */
export function kubeletYamlSecrets(text: string): SecretSpan[] {
  if (!/staticPodURLHeader|@/.test(text)) return [];
  // The same bounded parse as the model's; a file that does not parse gives kubelet nothing, and its URLs are still hidden.
  const parsed = parseYamlDocument(text, { uniqueKeys: false });
  if (!parsed.ok) return textSecrets(text);
  const yaml = loadYaml();
  const spans: SecretSpan[] = [];
  // The parse above refuses documents nested more than 100 levels, so this recursion is bounded.
  const walk = (node: unknown, secret: boolean, depth: number): void => {
    if (yaml.isMap(node)) {
      for (const pair of node.items) walk(pair.value, secret || (depth === 0 && yaml.isScalar(pair.key) && pair.key.value === 'staticPodURLHeader'), depth + 1);
    } else if (yaml.isSeq(node)) for (const item of node.items) walk(item, secret, depth + 1);
    else if (yaml.isScalar(node) && typeof node.value === 'string' && node.range)
      scalarSpans(text, node as Node & { value: string; range: [number, number, number]; type?: string }, secret, spans);
  };
  walk(parsed.value.doc.contents, false, 0);
  return spans;
}

function scalarSpans(text: string, node: { value: string; range: [number, number, number]; type?: string }, secret: boolean, spans: SecretSpan[]): void {
  const [start, end] = node.range;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  const inner = { start: quoted ? start + 1 : block ? text.indexOf('\n', start) + 1 : start, end: quoted ? end - 1 : end };
  const raw = text.slice(inner.start, inner.end);
  if (node.value === '' || inner.end <= inner.start) return;
  const passwords = secret ? [] : urlPasswords(node.value, false);
  if (!secret && passwords.length === 0) return;
  if (!secret && raw === node.value) {
    for (const p of passwords)
      spans.push({
        start: inner.start + p.start,
        end: inner.start + p.end,
        value: node.value.slice(p.start, p.end),
        replacement: (m) => passwordReplacement(node.value, p, m),
      });
    return;
  }
  // A block scalar's first content line keeps its indentation before the marker.
  const indent = block ? /^[ \t]*/.exec(raw)![0] : '';
  spans.push({ start: inner.start, end: inner.end, value: node.value, replacement: (m) => keepLines(raw.slice(indent.length), `${indent}${m}`) });
}

const JSON_SECRET_KEYS = new Set(['password', 'auth', 'identitytoken', 'registrytoken']);
const JSON_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '/': '/' };

/** A JSON string at `i` (its opening quote), decoded with raw offsets; returns the index after it. */
function jsonString(text: string, i: number): { decoded: Decoded; end: number } {
  const out = new DecodedBuilder();
  let k = i + 1;
  while (k < text.length && text[k] !== '"') {
    if (text[k] === '\\') {
      const e = text[k + 1] ?? '';
      if (e === 'u') {
        out.push(String.fromCharCode(parseInt(text.slice(k + 2, k + 6), 16)), k, k + 6);
        k += 6;
      } else {
        out.push(JSON_ESCAPES[e] ?? e, k, k + 2);
        k += 2;
      }
    } else {
      out.push(text[k]!, k, k + 1);
      k++;
    }
  }
  return { decoded: out.build(), end: k + 1 };
}

/**
 * JSON (`crictl info`): every string under a key named password, auth,
 * identitytoken or registrytoken (any case), every string under `headers`,
 * and URL passwords in any other string. Keys and structure stay.
 */
export function jsonSecrets(text: string): SecretSpan[] {
  if (!/password|auth|token|header|@/i.test(text)) return [];
  const spans: SecretSpan[] = [];
  // The path of keys to the current value; arrays keep their key.
  const stack: { key: string | null; object: boolean; secret: boolean }[] = [];
  let key: string | null = null;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const k = (key ?? '').toLowerCase();
      // Everything inside headers or a password is secret; inside `auth` only its own secret keys are (the user name is not).
      stack.push({
        key,
        object: c === '{',
        secret: (parent?.secret ?? false) || ['headers', 'header', 'password', 'identitytoken', 'registrytoken'].includes(k),
      });
      expectKey = c === '{';
      key = c === '{' ? null : key;
    } else if (c === '}' || c === ']') {
      stack.pop();
      const parent = stack[stack.length - 1];
      key = parent && !parent.object ? parent.key : null;
      expectKey = false;
    } else if (c === ',') {
      const parent = stack[stack.length - 1];
      expectKey = parent?.object ?? false;
      if (expectKey) key = null;
    } else if (c === '"') {
      const s = jsonString(text, i);
      if (expectKey) {
        key = s.decoded.text;
        expectKey = false;
      } else {
        const secret = (stack[stack.length - 1]?.secret ?? false) || JSON_SECRET_KEYS.has((key ?? '').toLowerCase());
        const d = s.decoded;
        if (secret && d.text !== '') spans.push({ start: i + 1, end: s.end - 1, value: d.text, replacement: (m) => m });
        else if (!secret) {
          for (const p of urlPasswords(d.text, false)) {
            const raw = rawSpan(d, p.start, p.end);
            spans.push({ ...raw, value: d.text.slice(p.start, p.end), replacement: (m) => JSON.stringify(passwordReplacement(d.text, p, m)).slice(1, -1) });
          }
        }
      }
      i = s.end - 1;
    }
  }
  return spans;
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*)-----/g;

/** PEM private keys of any type (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP …): armour lines kept, the body a marker on as many lines; an unterminated key runs to the end. */
export function pemSecrets(text: string): SecretSpan[] {
  if (!text.includes('-----BEGIN ')) return [];
  const spans: SecretSpan[] = [];
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const close = text.indexOf(`-----END ${m[1]!}-----`, bodyStart);
    const bodyEnd = close < 0 ? text.length : close;
    const body = text.slice(bodyStart, bodyEnd);
    if (body.trim() === '') continue;
    const breaks = body.match(/\r?\n/g) ?? [];
    const lead = /^\r?\n/.exec(body)?.[0] ?? '';
    // As many line breaks as the body had, so every later line keeps its number.
    spans.push({ start: bodyStart, end: bodyEnd, value: body, replacement: (marker) => `${lead}${marker}${breaks.slice(lead === '' ? 0 : 1).join('')}` });
    PEM_BEGIN.lastIndex = bodyEnd;
  }
  return spans;
}

/** A private key file that is not PEM (DER, or anything else): the whole content is the secret. */
export function keyFileSecrets(text: string): SecretSpan[] {
  if (text.trim() === '' || text.includes('-----BEGIN ')) return [];
  return [{ start: 0, end: text.length, value: text, replacement: (m) => m }];
}

/** Text of no known format: URL passwords in its words. */
export function textSecrets(text: string): SecretSpan[] {
  if (!text.includes('@')) return [];
  const spans: SecretSpan[] = [];
  for (const line of text.matchAll(/[^\n]+/g)) {
    for (const p of urlPasswords(line[0], false)) {
      spans.push({
        start: line.index + p.start,
        end: line.index + p.end,
        value: line[0].slice(p.start, p.end),
        replacement: (m) => passwordReplacement(line[0], p, m),
      });
    }
  }
  return spans;
}
