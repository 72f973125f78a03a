// A lazy module (see yaml.ts): ajv's compiler is needed only for custom rules;
// built-in rules use validators compiled at build time. Custom rules are
// JSON Schema draft 2020-12, so this is ajv's 2020 class.
import ajv2020Module from 'ajv/dist/2020.js';

/** The Ajv2020 class, loaded on first use in the executable. */
export function load(): typeof ajv2020Module.default {
  // ajv is CommonJS: module.exports is the class and also carries it as .default.
  return ajv2020Module.default;
}
