import { CRI_IMAGES, CRI_V2 } from '../../model/containerd/semantics.js';
import { displayKey } from '../../model/containerd/tree.js';
import { defineRule, type Violation } from '../types.js';
import { at, where } from '../helpers.js';
import { containerdOf } from '../containerd-support.js';

const CREDENTIAL_KEYS = ['username', 'password', 'auth', 'identitytoken'];
/** Where registry credentials live in each config generation (v1 short id, v2, v3). */
const REGISTRY_PATHS = [
  ['plugins', 'cri', 'registry'],
  ['plugins', CRI_V2, 'registry'],
  ['plugins', CRI_IMAGES, 'registry'],
];

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => v !== null && typeof v === 'object' && !Array.isArray(v);
const child = (t: unknown, key: string): unknown => (isTable(t) && Object.hasOwn(t, key) ? t[key] : undefined);

/** The line of a key path, or of its nearest written ancestor (keys inside inline tables are not located; `plugins` always is). */
function lineOf(keyLines: Record<string, number>, path: string[]): number {
  const prefixes = path.map((_, i) => displayKey(path.slice(0, path.length - i)));
  return keyLines[prefixes.find((k) => keyLines[k] !== undefined)!]!;
}

export default defineRule({
  id: 'containerd/registry-no-plaintext-credentials',
  title: "No registry credentials are stored in containerd's configuration",
  severity: 'error',
  mode: 'static',
  rationale: 'username, password, auth and identitytoken in config.toml are readable plain text on every node and end up in backups and support bundles.',
  remediation: "Remove the credentials from containerd's configuration and use image pull secrets or a credential helper instead.",
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod',
    'https://github.com/containerd/containerd/blob/main/docs/cri/registry.md',
  ],
  check: (ctx) => {
    const c = containerdOf(ctx);
    const out: Violation[] = [];
    // Every file counts, not only the merged result: a credential an import overrides is still on disk.
    for (const file of c.files) {
      for (const base of REGISTRY_PATHS) {
        const registry = base.reduce<unknown>((t, k) => child(t, k), file.data);
        const places: [string[], unknown][] = [];
        for (const [host, config] of Object.entries(isTable(child(registry, 'configs')) ? (child(registry, 'configs') as Table) : {}))
          places.push([['configs', host, 'auth'], child(config, 'auth')]);
        for (const [url, auth] of Object.entries(isTable(child(registry, 'auths')) ? (child(registry, 'auths') as Table) : {}))
          places.push([['auths', url], auth]);
        for (const [place, auth] of places) {
          const keys = CREDENTIAL_KEYS.filter((k) => child(auth, k) !== undefined);
          if (keys.length === 0) continue;
          const path = [...base, ...place];
          const line = lineOf(file.keyLines!, [...path, keys[0]!]);
          out.push({
            message: `${file.path}:${line} stores ${keys.join(', ')} in plain text under ${displayKey(place)} (values not shown).`,
            evidence: {
              file: file.path,
              line,
              path: displayKey(path),
              observed: keys.map((k) => `${k} present`),
              expected: 'no credentials in the configuration',
            },
          });
        }
      }
    }
    for (const dir of c.cri.registry.hostsDirs) {
      for (const h of dir.hosts) {
        for (const header of h.headers.filter((x) => x.name.toLowerCase() === 'authorization')) {
          out.push({
            message: `${where(header.source)} sends an Authorization header to ${h.url || 'every registry (_default)'} from plain text (value not shown).`,
            evidence: { ...at(header.source), path: header.source.key, observed: 'Authorization header present', expected: 'no credentials in hosts.toml' },
          });
        }
      }
    }
    return out;
  },
});
