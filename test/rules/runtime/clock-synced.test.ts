import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { notRun, ran } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };
const td = (answer: string) => ({ [PROBE.timedatectl]: ran(['timedatectl', 'show', '--property=NTPSynchronized', '--value'], 0, `${answer}\n`) });
const noTd = ran(['timedatectl', 'show'], 1, '', "System has not been booted with systemd as init system (PID 1). Can't operate.\n");
const chrony = (leap: string) => ({
  [PROBE.timedatectl]: noTd,
  [PROBE.chronyc]: ran(['chronyc', '-n', 'tracking'], 0, `Reference ID    : C0A80001 (192.168.0.1)\nLeap status     : ${leap}\n`),
});

testRule('runtime/clock-synced', {
  quiet: [
    { name: 'timedatectl: synchronized', files, commands: td('yes') },
    { name: 'chrony: normal', files, commands: chrony('Normal') },
    {
      name: 'neither timedatectl nor chrony answers',
      files,
      commands: { [PROBE.timedatectl]: noTd, [PROBE.chronyc]: notRun(['chronyc', '-n', 'tracking']) },
      status: 'not-applicable',
      reason: /could not be read: System has not been booted with systemd.*; chronyc is not installed/,
    },
    { name: 'an answer it cannot read', files, commands: td('maybe'), status: 'not-applicable', reason: /could not be read: no answer/ },
    {
      name: 'chrony without a leap status',
      files,
      commands: { [PROBE.timedatectl]: noTd, [PROBE.chronyc]: ran(['chronyc', '-n', 'tracking'], 0, '506 Cannot talk to daemon\n') },
      status: 'not-applicable',
      reason: /could not be read: chronyc tracking printed no leap status/,
    },
    { name: 'not probed', files, commands: {}, status: 'not-applicable', reason: /not probed in this snapshot/ },
  ],
  firing: [
    {
      name: 'timedatectl: not synchronized',
      files,
      commands: td('no'),
      violations: [{ message: /^The system clock is not synchronized: timedatectl reports NTPSynchronized=no/, evidence: { observed: false, expected: true } }],
    },
    {
      name: 'chrony: not synchronised',
      files,
      commands: chrony('Not synchronised'),
      violations: [{ message: /chronyc reports it unsynchronized \(chrony leap status: Not synchronised\)/ }],
    },
  ],
});
