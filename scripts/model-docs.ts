// Renders docs/node-model.md: every path of the node model (from
// schemas/node-model.schema.json, itself generated from src/model/types.ts),
// its type, what it means and where its value comes from, and its value on the
// example node with the file and line that set it.
import { getAt } from '../src/model/pointer.js';
import type { NodeModel } from '../src/model/types.js';
import { locate } from '../src/engine/evaluate.js';
import { redactDeep } from '../src/parsers/redact.js';
import type { SchemaNode } from './model-schema.js';

/** What each part of the model is read from, for the section headers. */
const FROM: Record<string, string> = {
  host: '/proc/sys, /proc/swaps, /proc/modules, /sys/fs/cgroup and /sys/module (live kernel state, absent on a mounted image); /etc/hostname, /etc/fstab, /etc/sysctl.conf and sysctl.d, /etc/modules and modules-load.d, /etc/resolv.conf; binaries on the standard PATH',
  crictl: '/etc/crictl.yaml',
  kubelet:
    "/var/lib/kubelet/config.yaml and instance-config.yaml, kubelet.service's ExecStart= and its environment files (kubeadm-flags.env, /etc/default/kubelet, /etc/sysconfig/kubelet), and the files a previous join leaves in /etc/kubernetes",
  containerd: '/etc/containerd/config.toml, its imports, and the hosts.toml and certificate files under its config_path (certs.d)',
  systemd:
    'the unit search path (/etc/systemd/system over /run over /usr/lib), drop-ins, EnvironmentFile= files, system.conf and system.conf.d, /etc/environment and /etc/profile.d',
  live: 'the probes of --online (systemctl show, the containerd socket, crictl, DNS and TCP connections): never offline',
  site: "the files, sysctls, kernel modules and units a checklist's site checks name, and nothing else",
};

type Node = SchemaNode;

function deref(schema: Node, node: Node): Node {
  const ref = node.$ref as string | undefined;
  if (!ref) return node;
  const { $ref: _, ...rest } = node;
  return { ...(schema.$defs as Record<string, Node>)[ref.slice('#/$defs/'.length)]!, ...rest };
}

function typeOf(schema: Node, raw: Node): string {
  const node = deref(schema, raw);
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  if (Array.isArray(node.anyOf)) return (node.anyOf as Node[]).map((b) => typeOf(schema, b)).join(' \\| ');
  if (Array.isArray(node.type)) return (node.type as string[]).join(' \\| ');
  if (node.type === 'array') return `list of ${typeOf(schema, node.items as Node)}`;
  if (node.type === 'object' && !node.properties)
    return node.additionalProperties ? `map of ${typeOf(schema, node.additionalProperties as Node)}` : 'object (any keys)';
  if (node.type === 'object') return 'object';
  return typeof node.type === 'string' ? node.type : 'any';
}

/** The object-like branches of a node (a nullable value's non-null side). */
function branches(schema: Node, raw: Node): Node[] {
  const node = deref(schema, raw);
  return Array.isArray(node.anyOf) ? (node.anyOf as Node[]).map((b) => deref(schema, b)).filter((b) => b.type === 'object' || b.type === 'array') : [node];
}

const escapeToken = (t: string): string => t.replaceAll('~', '~0').replaceAll('/', '~1');

function example(model: NodeModel, pointer: string | undefined): string {
  if (pointer === undefined) return '';
  const value = redactDeep(getAt(model, pointer));
  if (value === undefined || (value !== null && typeof value === 'object')) return '';
  let text = JSON.stringify(value);
  if (text.length > 60) text = `${text.slice(0, 57)}…"`;
  const { file, line } = locate(model, pointer);
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\`${file ? ` from ${file}${line ? `:${line}` : ''}` : ''}`;
}

interface Row {
  path: string;
  type: string;
  description: string;
  example: string;
}

/**
 * One row per path, depth first in declaration order. Map keys are written
 * `{name}` and list indexes `{i}`; the example follows the first key or
 * index the example node has there.
 */
function rows(schema: Node, raw: Node, path: string, concrete: string | undefined, model: NodeModel, out: Row[], seen: Set<string>): void {
  for (const node of branches(schema, raw)) {
    const props = node.properties as Record<string, Node> | undefined;
    for (const [key, child] of Object.entries(props ?? {})) {
      const p = `${path}/${key}`;
      const c = concrete === undefined ? undefined : `${concrete}/${escapeToken(key)}`;
      const d = deref(schema, child);
      const where =
        child.$ref === '#/$defs/Source' ? `\`${JSON.stringify(redactDeep(getAt(model, c ?? '/-')) ?? null).replace(/\|/g, '\\|')}\`` : example(model, c);
      out.push({
        path: p,
        type: typeOf(schema, child),
        description: String(child.description ?? d.description ?? ''),
        example: c !== undefined && getAt(model, c) !== undefined ? where : '',
      });
      // A type met again below itself would recurse for ever; the model has none, but stop if it ever does.
      // Every Source has the same keys (file, line, column, key, default): one row says it.
      if (seen.has(p) || child.$ref === '#/$defs/Source') continue;
      rows(schema, child, p, c, model, out, new Set([...seen, p]));
    }
    if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
      const here = concrete === undefined ? undefined : getAt(model, concrete);
      const first = here !== null && typeof here === 'object' ? Object.keys(here)[0] : undefined;
      const child = node.additionalProperties as Node;
      const c = first === undefined ? undefined : `${concrete}/${escapeToken(first)}`;
      if (branches(schema, child).some((b) => b.properties || b.additionalProperties || b.items)) rows(schema, child, `${path}/{name}`, c, model, out, seen);
      else
        out.push({
          path: `${path}/{name}`,
          type: typeOf(schema, child),
          description: String(deref(schema, child).description ?? ''),
          example: example(model, c),
        });
    }
    if (node.type === 'array' && node.items) {
      const items = node.items as Node;
      const here = concrete === undefined ? undefined : getAt(model, concrete);
      const c = Array.isArray(here) && here.length > 0 ? `${concrete}/0` : undefined;
      if (branches(schema, items).some((b) => b.properties || b.additionalProperties)) rows(schema, items, `${path}/{i}`, c, model, out, seen);
    }
  }
}

/** docs/node-model.md for a schema and the example node's model. */
export function renderModelReference(schema: Node, model: NodeModel): string {
  const top = schema.properties as Record<string, Node>;
  const lines = [
    '<!-- Generated by scripts/build-docs.ts from schemas/node-model.schema.json (itself generated from src/model/types.ts) and the example node; run `npm run docs`. -->',
    '',
    '# Node model reference',
    '',
    `${String(schema.description)}`,
    '',
    "A custom rule's `target` is a JSON Pointer into this model ([write your own checks](write-your-own-checks.md)); a target that is not a path below is refused when the checklist loads. `{name}` stands for any key of a map (a unit name, a runtime name, a sysctl key) and `{i}` for a list index; in a pointer, `/` in a key is written `~1` (`/site/files/~1etc~1hosts`). Values with a source are `{ value, source }`: target `.../value` to test the value. `preflight model --root DIR` prints the model of a real node, every value with the file and line it came from; the JSON Schema is [schemas/node-model.schema.json](../schemas/node-model.schema.json).",
    '',
    'The example column is the value on the example node of [write your own checks](write-your-own-checks.md) (`test/fixtures/nodes/site-example/root`), with the file and line that set it.',
    '',
  ];
  for (const [key, child] of Object.entries(top)) {
    const out: Row[] = [];
    const d = deref(schema, child);
    const description = String(child.description ?? d.description ?? '');
    if (!d.properties && !d.anyOf) {
      lines.push(`## /${key}`, '', `${description} Type: ${typeOf(schema, child)}.`, '');
      continue;
    }
    rows(schema, child, `/${key}`, `/${key}`, model, out, new Set());
    lines.push(
      `## /${key}`,
      '',
      description,
      '',
      `Read from: ${FROM[key] ?? 'the node files the builders read'}.`,
      '',
      '| Path | Type | Meaning | Example |',
      '|---|---|---|---|',
    );
    for (const r of out) lines.push(`| \`${r.path}\` | ${r.type} | ${r.description.replace(/\|/g, '\\|')} | ${r.example} |`);
    lines.push('');
  }
  return lines.join('\n');
}
