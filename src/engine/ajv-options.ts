import type { Options } from 'ajv';

/**
 * The one set of ajv options, for the build-time standalone validators and for
 * custom rules compiled at run time: strict (a typo in a schema keyword is an
 * error, not a silently ignored keyword) and reporting every error.
 */
export const AJV_OPTIONS: Options = Object.freeze({ strict: true, allErrors: true, allowUnionTypes: true });
