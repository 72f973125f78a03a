// Every rule's test file (test/rules/<domain>/<slug>.test.ts) in this one process.
import { importTests } from '../helpers/in-one-process.js';

await importTests(new URL('./', import.meta.url), /^[a-z]+\/[a-z0-9-]+\.test\.ts$/);
