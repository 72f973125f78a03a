import { readText } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import { parseCrictl } from '../parsers/crictl.js';
import { fileInfo } from './file-info.js';
import type { InputRequest } from './inputs.js';
import type { CrictlModel, Sourced } from './types.js';

/** crictl's default configuration file. */
export const CRICTL_CONFIG = '/etc/crictl.yaml';

/** What the crictl checks read. */
export function planCrictlInputs(): InputRequest {
  return { read: [CRICTL_CONFIG], list: [], stat: [] };
}

/** Build crictl's view of its configuration. */
export function buildCrictl(snapshot: Snapshot): CrictlModel {
  const r = readText(snapshot, CRICTL_CONFIG);
  const empty: CrictlModel = {
    file: fileInfo(snapshot, CRICTL_CONFIG),
    entries: [],
    problems: [],
    runtimeEndpoint: null,
    imageEndpoint: null,
    timeoutSeconds: null,
  };
  if (r.status !== 'ok') return empty;
  const parsed = parseCrictl(r.text);
  if (!parsed.ok) return { ...empty, file: fileInfo(snapshot, CRICTL_CONFIG, parsed.error) };
  // The last occurrence of a key is the one crictl keeps.
  const last = (key: string): Sourced<string> | null => {
    const e = parsed.entries.findLast((x) => x.key === key);
    return e ? { value: e.value, source: { file: CRICTL_CONFIG, line: e.line, column: e.column, key } } : null;
  };
  const runtimeEndpoint = last('runtime-endpoint');
  const imageEndpoint = last('image-endpoint');
  return {
    file: empty.file,
    entries: parsed.entries,
    problems: parsed.problems,
    runtimeEndpoint: runtimeEndpoint?.value ? runtimeEndpoint : null,
    // An unset or empty image-endpoint means "use the runtime endpoint".
    imageEndpoint: imageEndpoint?.value ? imageEndpoint : runtimeEndpoint?.value ? runtimeEndpoint : null,
    timeoutSeconds: parsed.settings.timeoutSeconds,
  };
}
