import { main } from './main.js';

// The executable's entry point: run and let the process exit with the code.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
