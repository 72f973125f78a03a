import { writeFileSync } from 'node:fs';
import { generateChecklistValidatorCode, generateContainerdSchemasCode, generateRuleValidatorCode, generateSnapshotValidatorCode } from './validator-code.js';

writeFileSync('src/generated/validators.ts', generateRuleValidatorCode());
writeFileSync('src/generated/checklist-validator.ts', generateChecklistValidatorCode());
writeFileSync('src/generated/containerd-schemas.ts', generateContainerdSchemasCode());
writeFileSync('src/generated/snapshot-validator.ts', generateSnapshotValidatorCode());
console.log('wrote src/generated/validators.ts, checklist-validator.ts, containerd-schemas.ts and snapshot-validator.ts');
