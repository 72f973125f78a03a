import { writeFileSync } from 'node:fs';
import { generateChecklistValidatorCode, generateRuleValidatorCode } from './validator-code.js';

writeFileSync('src/generated/validators.ts', generateRuleValidatorCode());
writeFileSync('src/generated/checklist-validator.ts', generateChecklistValidatorCode());
console.log('wrote src/generated/validators.ts and src/generated/checklist-validator.ts');
