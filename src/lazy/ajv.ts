// A lazy module (see yaml.ts): ajv's compiler is needed only for custom rules;
// built-in rules use validators compiled at build time.
import ajvModule from 'ajv';

/** The Ajv class, loaded on first use in the executable. */
export function load(): typeof ajvModule.default {
  // ajv is CommonJS: module.exports is the class and also carries it as .default.
  return ajvModule.default;
}
