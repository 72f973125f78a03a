// A lazy module (see yaml.ts): the checklist schema's validator is needed only
// when a checklist file is given.
import * as validator from '../generated/checklist-validator.js';

/** The precompiled validator of schemas/checklist.schema.json and the schema itself. */
export function load(): typeof validator {
  return validator;
}
