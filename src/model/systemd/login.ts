/** What a login shell exports: /etc/environment and /etc/profile.d/*.sh. */
import { parseEtcEnvironment, parseProfileScript } from '../../parsers/shell-env.js';
import type { SnapshotReader } from '../reader.js';
import type { LoginVar, SystemdModel } from '../types.js';

/** The login environment: /etc/environment, then /etc/profile.d/*.sh in glob order, exported variables only. */
export function buildLogin(r: SnapshotReader): SystemdModel['login'] {
  const files = ['/etc/environment', ...r.glob('/etc/profile.d/*.sh', false)];
  const exported = new Map<string, LoginVar>();
  const local = new Map<string, LoginVar>();
  const read: string[] = [];
  for (const file of files) {
    const t = r.text(file);
    if (t.status !== 'ok') continue;
    read.push(file);
    for (const step of file === '/etc/environment' ? parseEtcEnvironment(t.text) : parseProfileScript(t.text)) {
      const set = { value: step.value ?? '', file, line: step.line };
      if (step.kind === 'unset') {
        exported.delete(step.name);
        local.delete(step.name);
      } else if (step.kind === 'export') {
        // `export NAME` exports the shell variable's current value.
        const v = local.get(step.name);
        if (v) exported.set(step.name, v);
        local.delete(step.name);
      } else if (step.exported || exported.has(step.name)) exported.set(step.name, set);
      else local.set(step.name, set);
    }
  }
  return { files: read, variables: Object.fromEntries(exported) };
}
