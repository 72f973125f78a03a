import Ajv from 'ajv';
import { readFileSync } from 'node:fs';

const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv.default({ strict: true, allErrors: true, allowUnionTypes: true });

/** schemas/report.schema.json, compiled: validate reports as they appear on the wire. */
export const validateReport = ajv.compile(schema);
