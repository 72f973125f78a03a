import { writeFileSync } from 'node:fs';
import { generateChecklistValidatorCode, generateContainerdSchemasCode, generateRuleValidatorCode } from './validator-code.js';

writeFileSync('src/generated/validators.ts', generateRuleValidatorCode());
writeFileSync('src/generated/checklist-validator.ts', generateChecklistValidatorCode());
writeFileSync('src/generated/containerd-schemas.ts', generateContainerdSchemasCode());
console.log('wrote src/generated/validators.ts, checklist-validator.ts and containerd-schemas.ts');
