/** crictl's part of the NodeModel (src/model/types.ts). */
import type { FileInfo, Sourced } from './common.js';

/** crictl's view of `/etc/crictl.yaml`. */
export interface CrictlModel {
  file: FileInfo;
  /** Top-level entries as crictl reads them (raw scalar text), in file order. */
  entries: { key: string; value: string; line: number; column: number }[];
  /** Values crictl rejects (unknown keys, non-integer timeout, …). */
  problems: { key: string; message: string; line: number; column: number }[];
  /** `runtime-endpoint`, or null when unset (crictl then probes deprecated defaults). */
  runtimeEndpoint: Sourced<string> | null;
  /** `image-endpoint`, defaulting to the runtime endpoint as crictl does. */
  imageEndpoint: Sourced<string> | null;
  /** `timeout` in seconds; values <= 0 mean crictl's 2 s default. */
  timeoutSeconds: number | null;
}
