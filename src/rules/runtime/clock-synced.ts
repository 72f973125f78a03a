import { defineRule } from '../types.js';
import { liveOf } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/clock-synced',
  title: 'The system clock is synchronized',
  severity: 'warning',
  mode: 'live',
  rationale: 'TLS bootstrap fails with "certificate has expired or is not yet valid" when the node\'s clock is off.',
  remediation: 'Enable time synchronization (systemd-timesyncd or chrony) and wait for it to sync.',
  references: ['https://www.freedesktop.org/software/systemd/man/latest/timedatectl.html'],
  applies: ({ model }) => {
    const clock = liveOf(model).clock;
    if (!clock) return 'Clock synchronization was not probed in this snapshot';
    return clock.synced === null ? `Clock synchronization could not be read: ${clock.outcome.detail || 'no answer'}` : undefined;
  },
  check: ({ model }) => {
    const { synced, outcome } = liveOf(model).clock!;
    if (synced) return [];
    const via = outcome.probe === 'timedatectl' ? 'timedatectl reports NTPSynchronized=no' : `chronyc reports it unsynchronized (${outcome.detail})`;
    return [
      {
        message: `The system clock is not synchronized: ${via}; certificates then look expired or not yet valid.`,
        evidence: { path: '/live/clock/synced', observed: false, expected: true },
      },
    ];
  },
});
