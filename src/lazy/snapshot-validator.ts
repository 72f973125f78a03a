// A lazy module (see yaml.ts): the snapshot schema's validator is needed only
// when a snapshot file is read (check --snapshot, diff).
import * as validator from '../generated/snapshot-validator.js';

/** The precompiled validator of schemas/snapshot.schema.json. */
export function load(): typeof validator {
  return validator;
}
