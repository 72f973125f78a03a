import { writeFileSync } from 'node:fs';
import { MODEL_SCHEMA_PATH, generateModelSchema, modelSchemaModule, modelSchemaText } from './model-schema.js';
import { generateChecklistValidatorCode, generateContainerdSchemasCode, generateRuleValidatorCode, generateSnapshotValidatorCode } from './validator-code.js';

writeFileSync('src/generated/validators.ts', generateRuleValidatorCode());
writeFileSync('src/generated/checklist-validator.ts', generateChecklistValidatorCode());
writeFileSync('src/generated/containerd-schemas.ts', generateContainerdSchemasCode());
writeFileSync('src/generated/snapshot-validator.ts', generateSnapshotValidatorCode());
console.log('wrote src/generated/validators.ts, checklist-validator.ts, containerd-schemas.ts and snapshot-validator.ts');
// The node model's schema comes from its TypeScript types: a field added to src/model/types.ts is in it after this.
const modelSchema = generateModelSchema();
writeFileSync(MODEL_SCHEMA_PATH, modelSchemaText(modelSchema));
writeFileSync('src/generated/node-model-schema.ts', modelSchemaModule(modelSchema));
console.log(`wrote ${MODEL_SCHEMA_PATH} and src/generated/node-model-schema.ts from src/model/types.ts`);
