import { defineRule } from '../types.js';
import { SERVICES, evidenceAt, place } from '../systemd-support.js';

export default defineRule({
  id: 'systemd/environment-files-exist',
  title: 'Every required EnvironmentFile exists',
  severity: 'error',
  mode: 'static',
  rationale:
    'An EnvironmentFile= without a leading - whose path (a glob) matches no readable file stops the service from starting ("Failed to load environment files"); systemd reads these files at every start, so the unit loads fine and fails only then.',
  remediation: 'Create the file, or prefix the path with - if it is optional, then run systemctl daemon-reload.',
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#EnvironmentFile='],
  check: ({ model }) =>
    SERVICES.flatMap((name) =>
      model.systemd.units[name]!.environmentFiles.filter((e) => !e.optional && (e.state === 'missing' || e.state === 'unreadable')).map((e) => ({
        message:
          e.state === 'missing'
            ? `${name} requires EnvironmentFile=${e.path} (${place(e)}, no leading "-"), but no file matches it, so systemd will not start the service.`
            : `${name} requires EnvironmentFile=${e.path} (${place(e)}, no leading "-"), but ${e.error}, so systemd will not start the service.`,
        evidence: evidenceAt(e, e.state, `${e.path} exists and is readable`),
      })),
    ),
});
