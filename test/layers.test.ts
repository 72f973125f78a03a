// The tests of the pure layers (parsers, model, engine, snapshot) in this one process.
import { importTests } from './helpers/in-one-process.js';

await importTests(new URL('./', import.meta.url), /^(parsers|model|engine|snapshot)\/[a-z0-9-]+\.test\.ts$/);
