import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/environment-files-exist",
  title: "Every required EnvironmentFile exists",
  severity: 'error',
  mode: 'static',
  rationale:
    "An EnvironmentFile= without a leading - that does not exist stops the service from starting.",
  remediation:
    "Create the file, or prefix the path with - if it is optional.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#EnvironmentFile=",
  ],
});
