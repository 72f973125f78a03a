import { LIVE_UNIT } from '../../model/live.js';
import { defineRule } from '../types.js';
import { liveOf, unavailable } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/containerd-active',
  title: 'containerd.service is active',
  severity: 'error',
  mode: 'live',
  rationale: 'kubelet cannot create any pod while containerd is not running.',
  remediation: 'Start containerd (systemctl enable --now containerd) and read journalctl -u containerd for why it stopped.',
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemctl.html'],
  applies: ({ model }) => {
    const systemd = liveOf(model).systemd;
    if (!systemd) return `systemctl show ${LIVE_UNIT} was not run in this snapshot`;
    return systemd.outcome.state === 'ok' ? undefined : unavailable(`${LIVE_UNIT}'s state`, systemd.outcome);
  },
  check: ({ model }) => {
    const s = liveOf(model).systemd!;
    if (s.activeState === 'active') return [];
    const state = `${s.activeState ?? 'unknown'}${s.subState ? ` (${s.subState})` : ''}`;
    const why = s.loadState === 'not-found' ? ', and systemd knows no such unit' : '';
    return [
      {
        message: `systemd reports ${LIVE_UNIT} as ${state}${why}; it must be active for kubelet to create pods.`,
        evidence: { path: '/live/systemd/activeState', observed: s.activeState, expected: 'active' },
      },
    ];
  },
});
