// A lazy module (see yaml.ts): the node model's schema is needed only to check
// the targets of custom rules and `preflight model --path`.
import { nodeModelSchema } from '../generated/node-model-schema.js';

/** schemas/node-model.schema.json, as data. */
export function load(): Record<string, unknown> {
  return nodeModelSchema;
}
