import type { LiveModel, NodeModel, ProbeOutcome } from '../model/types.js';
import { parseGoUrl } from '../model/go-proxy.js';
import { parseIp } from '../parsers/ip.js';
import { defaultServer, hostDirCandidates } from '../model/containerd/registry.js';
import type { Checklist, Targets } from '../checklist/types.js';
import { where } from './helpers.js';

/** The live model, or why there is none (a snapshot taken without --online). */
export function liveOf(model: NodeModel): LiveModel {
  // The engine never runs a live rule on an offline model, so live is set here.
  return model.live!;
}

/** The images that must be present or pullable: the sandbox image target, then the checklist's critical images. */
export function criticalImages(checklist: Checklist, targets: Targets): string[] {
  // A loaded checklist always has a sandbox image target (the loader refuses a version without one).
  return [...new Set([targets.sandboxImage, ...checklist.criticalImages].filter((r): r is string => r !== null))];
}

/** The registry of an image reference, as containerd's reference normalization decides (docker.io by default). */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  return first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** The reference as containerd stores it: docker.io/library/ and :latest filled in. */
export function fullReference(ref: string): string {
  let full = ref;
  if (registryOf(ref) === 'docker.io' && !ref.startsWith('docker.io/')) full = `docker.io/${ref.includes('/') ? '' : 'library/'}${ref}`;
  const name = full.slice(full.lastIndexOf('/') + 1);
  return name.includes(':') || name.includes('@') ? full : `${full}:latest`;
}

/** A host name containerd resolves when pulling from a registry, and why it does. */
export interface RegistryHost {
  /** The DNS name (IP literals need no lookup and are left out). */
  host: string;
  registry: string;
  /** The URL it comes from (a mirror, the server, the checklist's mirror). */
  url: string;
  /** Where the URL is configured. */
  via: string;
}

/** The host part of a URL (or of host[:port]), without brackets, or null when it does not parse. */
export function hostOf(url: string): string | null {
  const parsed = parseGoUrl(url.includes('://') ? url : `https://${url}`);
  if (!parsed.ok || parsed.value.host === '') return null;
  const h = parsed.value.host;
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * Every host containerd may dial for each registry of the critical images: the
 * hosts.toml hosts and server (or the legacy mirrors), the checklist's mirror,
 * and the registry's default server. IP literals are left out.
 */
export function registryHosts(model: NodeModel, checklist: Checklist, targets: Targets): RegistryHost[] {
  const out: RegistryHost[] = [];
  const add = (registry: string, url: string, via: string): void => {
    const host = hostOf(url);
    if (host === null || parseIp(host) !== null || out.some((h) => h.host === host)) return;
    out.push({ host, registry, url, via });
  };
  const registry = model.containerd.cri.registry;
  for (const name of [...new Set(criticalImages(checklist, targets).map(registryOf))]) {
    const dirs = hostDirCandidates(name)
      .map((n) => registry.hostsDirs.find((d) => d.name === n))
      .filter((d) => d !== undefined);
    const dir = dirs.find((d) => d.hosts.length > 0);
    for (const h of dir?.hosts ?? []) add(name, h.url, dir!.hostsToml.path);
    for (const endpoint of registry.mirrors[name]?.endpoints ?? []) add(name, endpoint, where(registry.mirrors[name]!.source));
    const mirror = checklist.registries.mirrors[name];
    if (mirror) add(name, mirror, "the checklist's registries.mirrors");
    if (!dir?.hosts.some((h) => h.kind === 'server')) add(name, defaultServer(name), `${name}'s default server`);
  }
  return out;
}

/** "probe: detail" for messages about a probe that could not run. */
export function unavailable(what: string, outcome: ProbeOutcome): string {
  return `${what} could not be checked: ${outcome.detail}`;
}
