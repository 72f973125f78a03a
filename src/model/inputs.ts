import type { Snapshot } from '../snapshot/types.js';

/** Paths a domain needs from the node: file contents, directory listings, metadata. */
export interface InputRequest {
  read: string[];
  list: string[];
  stat: string[];
}

/** Merge requests, keeping each path once. */
export function mergeRequests(...requests: InputRequest[]): InputRequest {
  const merged = { read: new Set<string>(), list: new Set<string>(), stat: new Set<string>() };
  for (const r of requests) {
    r.read.forEach((p) => merged.read.add(p));
    r.list.forEach((p) => merged.list.add(p));
    r.stat.forEach((p) => merged.stat.add(p));
  }
  return { read: [...merged.read].sort(), list: [...merged.list].sort(), stat: [...merged.stat].sort() };
}

/**
 * A domain's input planner. Given what has been collected so far it returns
 * everything it needs, including paths it only learns about from files already
 * read (containerd imports, drop-in directories, environment files). The
 * collector calls planners until they ask for nothing new.
 */
export type InputPlanner = (snapshot: Snapshot) => InputRequest;
