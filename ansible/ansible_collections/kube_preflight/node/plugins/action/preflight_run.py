# -*- coding: utf-8 -*-
# Copyright: kube-preflight contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Run kube-preflight for one host in one task: the action behind kube_preflight.node.preflight_run.

It runs on the controller. For the node and existing runtimes it makes one round trip to the node:
one shell script, with the bundle and the checklist on its stdin, stages the checker in a private
directory, runs it and removes it. The single executable (binary, or auto without a usable Node.js)
is transferred first, after a question for the node's architecture. For
the controller runtime it runs one `preflight check --snapshot --gather` here and answers its
questions with node_inputs' reader, run by the node's Python. Either way it reads the JSON report,
counts the host's cross-host clashes, and returns the role's facts; it fails only when there is no
verdict to read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import hashlib
import json
import os
import re
import select
import shlex
import subprocess
import tempfile
import time

from ansible import constants as C
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase

# The report format this collection reads (the report's schemaVersion).
REPORT_SCHEMA = 1
# Node's names for the architectures the single executable is built for, by `uname -m`.
ARCHES = {'x86_64': 'x64', 'aarch64': 'arm64'}
# Exit codes of the staging script itself; the checker's own are 0, 1 and 2,
# coreutils' timeout gives 124 (and 137 after its kill), a command that cannot
# be executed 126 and one that is not found 127.
STAGE_FAILED = 201
CHECKSUM_FAILED = 202
# The node's Node.js is older than node_min_version (the version check the bundle runs after).
NODE_TOO_OLD = 203
# Exit codes that mean the node's Node.js did not run the bundle: not executable, not found, too old.
NO_NODE = (126, 127, NODE_TOO_OLD)
# Where the staging script tells the node's architecture, after a Node.js that did not run the bundle.
ARCH_MARK = '\nkube-preflight-arch='
# Between the report and the snapshot the checker saved, in the staging script's output.
SNAPSHOT_MARK = '\n--kube-preflight-snapshot--\n'
TIMED_OUT = (124, 137)

# The controller runtime's reader on the node: node_inputs.py's RootReader, run by the node's Python
# with the module source and the request on stdin; Ansible itself need not be installed there.
READER = """
import json, os, sys, types
for name in ('ansible', 'ansible.module_utils', 'ansible.module_utils.basic'):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules['ansible.module_utils.basic'].AnsibleModule = None
request = json.loads(sys.stdin.read())
ns = {'__name__': 'kube_preflight_node_inputs'}
exec(compile(request['source'], 'node_inputs.py', 'exec'), ns)
if not os.path.isdir(request['root']):
    print(json.dumps({'error': 'root %s is not a directory' % request['root']}))
    sys.exit(0)
reader = ns['RootReader'](request['root'], 4194304)
wanted = {}
for kind in ('read', 'list', 'stat'):
    for path in request[kind]:
        wanted.setdefault(ns['normalize'](path), set()).add(kind)
print(json.dumps({'records': dict((path, reader.collect(path, kinds)) for path, kinds in wanted.items())}))
"""

SPEC = dict(
    runtime=dict(type='str', required=True, choices=['node', 'binary', 'existing', 'controller', 'auto']),
    root=dict(type='str', default='/'),
    strict=dict(type='bool', default=True),
    online=dict(type='bool', default=False),
    checklist=dict(type='str', default=''),
    ignore=dict(type='list', elements='str', default=[]),
    extra_args=dict(type='list', elements='str', default=[]),
    timeout=dict(type='int', default=120),
    bundle_src=dict(type='str', required=True),
    binary_src=dict(type='str', default=''),
    binary_checksum=dict(type='str', default=''),
    executable=dict(type='str', default='preflight'),
    node_executable=dict(type='str', default='node'),
    node_min_version=dict(type='str', default='20.0.0'),
    controller_node_executable=dict(type='str', default='node'),
    controller_rounds=dict(type='int', default=8),
    stage_parent=dict(type='str', default='/var/lib'),
    report_dir=dict(type='str', default=''),
    problems=dict(type='list', elements='str', default=[]),
    clashes=dict(type='list', elements='dict', default=[]),
)


class NoVerdict(Exception):
    """A reason the checker gave no verdict for the host, as the one line the play shows."""


def _min_version(text):
    parts = [int(x) for x in re.findall(r'[0-9]+', text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def _truncate(text, length):
    text = text.strip()
    return text if len(text) <= length else text[:length - 3] + '...'


def _sha256_file(path):
    """The first word of a sha256sum-format file, lower case, or ''."""
    try:
        with open(path, 'r') as f:
            words = f.read().split()
    except (IOError, OSError):
        return ''
    return words[0].lower() if words else ''


class ActionModule(ActionBase):
    TRANSFERS_FILES = True
    # The checker only reads, and a check run that skipped it would say nothing.
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        dummy, args = self.validate_argument_spec(argument_spec=SPEC)
        host = task_vars.get('inventory_hostname', 'this host')
        if args['problems']:
            result.update(
                failed=True,
                changed=False,
                msg="%s; this is a problem with the role's variables, not with %s." % ('; '.join(args['problems']), host),
            )
            return result
        snapshot = os.path.join(args['report_dir'], host + '.snapshot.json') if args['report_dir'] else ''
        try:
            # A snapshot left from an earlier run must not stand for this one.
            if snapshot and os.path.lexists(snapshot):
                os.unlink(snapshot)
            if args['runtime'] == 'controller':
                runtime = 'controller'
                rc, stdout, stderr = self._on_controller(args, host, task_vars)
            else:
                runtime, rc, stdout, stderr = self._on_node(args, host)
            report = self._read_report(args, host, runtime, rc, stdout, stderr)
            if args['report_dir']:
                # The checker's output as it printed it, beside the other hosts' on the controller.
                self._makedirs(args['report_dir'])
                self._write(os.path.join(args['report_dir'], host + '.json'), stdout, 0o644)
        except NoVerdict as e:
            result.update(failed=True, changed=False, msg=str(e))
            return result
        except (IOError, OSError) as e:
            # A file of the controller's (the report directory, the bundle, the checklist): one line, no traceback.
            result.update(failed=True, changed=False, msg='preflight_run for %s on the controller: %s: %s' % (host, e.filename or 'a file', e.strerror or e))
            return result
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        violations = self._violations(report)
        causes = self._causes(report)
        # The cross-host clashes (play_checks.yml) block like errors of the checker.
        for clash in args['clashes']:
            violations.append(dict(id=clash.get('id'), severity='error', blocking=True, message=clash.get('message'), file='', line=0, alias='',
                                   remediation=clash.get('remediation')))
            same = [c for c in causes if c['where'] == clash.get('id')]
            if same:
                same[0]['findings'].append(clash.get('message'))
            else:
                causes.append(dict(where=clash.get('id'), blocking=True, severity='error', findings=[clash.get('message')], fix=clash.get('remediation') or ''))
        result.update(
            changed=False,
            # Not "rc": Ansible fails a task whose result has an rc other than 0.
            exit_code=rc,
            runtime=runtime,
            causes=causes,
            report_path=os.path.join(args['report_dir'], host + '.json') if args['report_dir'] else '',
            snapshot_path=snapshot if os.path.isfile(snapshot) else '',
            # The role's facts for later plays (the join play reads preflight_passed and preflight_kubeadm_ignore).
            ansible_facts=dict(
                preflight_passed=rc == 0 and bool((report.get('summary') or {}).get('ready')) and not args['clashes'],
                preflight_violations=violations,
                preflight_report=report,
                preflight_kubeadm_ignore=self._kubeadm_ignore(report),
                preflight_runtime_used=runtime,
            ),
        )
        return result

    # -- the node, binary and existing runtimes --------------------------------

    def _node_problem(self, host, rc, stderr):
        """Why the node's Node.js cannot run the bundle, from the staging script's exit code and stderr."""
        a = self._args
        if rc == NODE_TOO_OLD:
            return '%s on %s is %s' % (a['node_executable'], host, stderr.strip().split('\n')[-1])
        return '%s did not run on %s (%s)' % (a['node_executable'], host, _truncate(re.sub(r'^timeout: ', '', stderr.strip()), 200))

    def _binary(self, host, arch, why):
        """The single executable for the node's architecture and its sha256, or why it cannot be used."""
        a = self._args
        name = ARCHES.get(arch, '')
        if not name:
            raise NoVerdict(
                '%sthe single executable is built for x86_64 and aarch64 only, and %s is %s. Use Node.js %s or later there'
                ' (preflight_runtime node), or existing.' % (why, host, arch or 'of an unknown architecture', a['node_min_version'])
            )
        # By default, next to the real bundle file: npm run build:sea writes dist/preflight-linux-<arch>.
        src = a['binary_src'] or os.path.join(os.path.dirname(os.path.realpath(a['bundle_src'])), 'preflight-linux-' + name)
        if not os.path.isfile(src):
            raise NoVerdict(
                '%sthere is no single executable at %s on the controller. Build it with npm run build:sea (on %s Linux),'
                ' set preflight_binary_src, or install Node.js %s or later on %s.' % (why, src, arch, a['node_min_version'], host)
            )
        sha = (a['binary_checksum'] or _sha256_file(src + '.sha256')).lower()
        if not re.match(r'^[0-9a-f]{64}$', sha):
            raise NoVerdict(
                'No sha256 is known for %s: set preflight_binary_checksum, or keep the %s.sha256 file that npm run build:sea'
                ' writes next to it.' % (src, os.path.basename(src))
            )
        return src, sha

    def _on_node(self, args, host):
        """The node, binary and existing runtimes: one round trip, two when auto falls back to the executable."""
        self._args = args
        self._arch = ''
        runtime = args['runtime']
        if runtime in ('node', 'auto'):
            # Optimistic: the bundle goes with the script, which runs it with the node's Node.js after a
            # version check in the same process; a node without a usable Node.js says so (and its architecture).
            rc, stdout, stderr = self._staged('node', host)
            if rc not in NO_NODE:
                return 'node', rc, stdout, stderr
            stderr, dummy, arch = stderr.partition(ARCH_MARK)
            problem = self._node_problem(host, rc, stderr)
            if runtime == 'node':
                raise NoVerdict(
                    'preflight_runtime node needs Node.js %s or later, but %s. Install it there, set preflight_node_executable'
                    ' to one, or use preflight_runtime binary or auto (the single executable from npm run build:sea).'
                    % (args['node_min_version'], problem)
                )
            why = 'preflight_runtime auto needs Node.js %s or later or the single executable, but %s, and ' % (args['node_min_version'], problem)
            self._arch = arch.strip()
            return 'binary', *self._staged('binary', host, why)
        if runtime == 'binary':
            r = self._low_level_execute_command('uname -m', sudoable=False)
            self._arch = to_text(r.get('stdout', '')).strip()
            return 'binary', *self._staged('binary', host, 'preflight_runtime binary: ')
        return 'existing', *self._staged('existing', host)

    def _staged(self, runtime, host, why=''):
        """Stage the checker, run it and remove it in one shell command; the checker's exit code, stdout and stderr."""
        args = self._args
        # The bundle (about 1 MB) and the checklist go through the script's stdin; the single executable
        # (about 85 MB) is transferred to Ansible's temporary directory first.
        payload = b''
        checklist_size = None
        if args['checklist']:
            with open(args['checklist'], 'rb') as f:
                payload += f.read()
            checklist_size = len(payload)
        if runtime == 'node':
            with open(args['bundle_src'], 'rb') as f:
                payload += f.read()
        checker = sha = None
        if runtime == 'binary':
            self._binary_src, sha = self._binary(host, self._arch, why)
            self._sha = sha
            tmp = self._make_tmp_path()
            checker = self._connection._shell.join_path(tmp, 'kube-preflight')
            self._transfer_file(self._binary_src, checker)
            self._fixup_perms2([tmp, checker], execute=False)
        r = self._low_level_execute_command(self._stage_script(runtime, checker, sha, checklist_size), sudoable=True, in_data=payload or None)
        rc, stdout, stderr = r.get('rc'), to_text(r.get('stdout', '')), to_text(r.get('stderr', ''))
        if runtime == 'node' and rc in NO_NODE:
            return rc, stdout, stderr
        self._explain_stage(runtime, host, rc, stderr)
        stdout, mark, snapshot = stdout.partition(SNAPSHOT_MARK)
        if mark and rc in (0, 1):
            self._makedirs(args['report_dir'])
            self._write(os.path.join(args['report_dir'], host + '.snapshot.json'), snapshot, 0o600)
        return rc, stdout, stderr

    def _stage_script(self, runtime, checker, sha, checklist_size):
        """Stage the checker in a private directory under stage_parent, run it, and remove the directory in any case.

        stdin holds the checklist (checklist_size bytes, when there is one), then the bundle (node runtime).
        """
        a = self._args
        q = shlex.quote
        lines = [
            'umask 077',
            'd=$(mktemp -d %s/kube-preflight.XXXXXX 2>&1) || { printf "%%s\\n" "$d" >&2; exit %d; }' % (q(a['stage_parent'].rstrip('/') or '/'), STAGE_FAILED),
            'trap \'rm -rf "$d"\' EXIT',
        ]
        if checklist_size is not None:
            # Copied under the name the user gave it, so the checker's messages name that file.
            name = os.path.basename(a['checklist'])
            # dd with one-byte blocks reads exactly that much of the pipe (head may read ahead and lose the bundle).
            lines.append('dd bs=1 count=%d of="$d"/%s 2>/dev/null || exit %d' % (checklist_size, q(name), STAGE_FAILED))
        if runtime == 'node':
            lines += [
                'cat > "$d/kube-preflight.cjs" || exit %d' % STAGE_FAILED,
                # Preloaded into the checker's own process: no separate Node.js start for the version.
                'printf %%s %s > "$d/version-check.cjs" || exit %d' % (q(self._version_check()), STAGE_FAILED),
            ]
            command = '%s -r "$d/version-check.cjs" "$d/kube-preflight.cjs"' % q(a['node_executable'])
        elif runtime == 'binary':
            lines += [
                'cp %s "$d/kube-preflight" && chmod 700 "$d/kube-preflight" || exit %d' % (q(checker), STAGE_FAILED),
                's=$(sha256sum "$d/kube-preflight" 2>&1); s=${s%% *}',
                '[ "$s" = %s ] || { printf "sha256 %%s\\n" "$s" >&2; exit %d; }' % (q(sha), CHECKSUM_FAILED),
            ]
            command = '"$d/kube-preflight"'
        else:
            command = q(a['executable'])
        args = ['--format', 'json', '--root', a['root']]
        args += ['--strict'] if a['strict'] else []
        args += ['--online'] if a['online'] else []
        if checklist_size is not None:
            args += ['--checklist', os.path.basename(a['checklist'])]
        args += ['--ignore', ','.join(a['ignore'])] if a['ignore'] else []
        # With a report directory, the snapshot that was checked (secrets replaced) comes back too, for preflight fleet.
        args += ['--save-snapshot', 'snapshot.json'] if a['report_dir'] else []
        args += a['extra_args']
        lines += [
            'cd "$d" || exit %d' % STAGE_FAILED,
            # Resolved before the play's environment (which may set PATH) applies to the checker.
            't=$(command -v timeout) && set -- "$t" -k 5 %d || set --' % a['timeout'],
            '%s "$@" %s %s' % (self._compute_environment_string(), command, ' '.join(q(x) for x in args)),
            'rc=$?',
            '[ -f snapshot.json ] && printf %s && cat snapshot.json' % q(SNAPSHOT_MARK),
        ]
        if runtime == 'node':
            # What the fallback to the single executable needs to know.
            lines.append('case $rc in %s) printf %s "$(uname -m)" >&2;; esac' % ('|'.join(str(c) for c in NO_NODE), q(ARCH_MARK + '%s\n')))
        lines.append('exit $rc')
        return '\n'.join(lines)

    def _version_check(self):
        """JavaScript run before the bundle: exit NODE_TOO_OLD, printing the version, below node_min_version."""
        least = list(_min_version(self._args['node_min_version']))
        return (
            'var m=%s,v=process.versions.node.split(".").map(Number);'
            'for(var i=0;i<3;i++){if(v[i]>m[i])break;if(v[i]<m[i]){process.stderr.write("v"+process.versions.node+"\\n");process.exit(%d)}}'
            % (json.dumps(least), NODE_TOO_OLD)
        )

    def _explain_stage(self, runtime, host, rc, stderr):
        a = self._args
        if rc == STAGE_FAILED:
            raise NoVerdict(
                'preflight_stage_parent %s must be an existing directory on %s that the connecting user (or become) can write to: %s.'
                % (a['stage_parent'], host, _truncate(stderr.strip().split(': ')[-1], 200))
            )
        if rc == CHECKSUM_FAILED:
            found = stderr.strip().split('sha256 ')[-1].strip() or 'none'
            raise NoVerdict(
                'The single executable copied to %s has sha256 %s, expected %s: %s on the controller is not the file that'
                ' checksum was made for. Rebuild it with npm run build:sea, or correct preflight_binary_checksum.'
                % (host, found, self._sha, self._binary_src)
            )
        if rc in TIMED_OUT:
            raise NoVerdict(
                'The checker ran longer than preflight_timeout (%d s) on %s and was stopped; raise preflight_timeout'
                ' (a whole number of seconds), or find what makes it slow there.' % (a['timeout'], host)
            )
        if rc in (126, 127):
            hint = (
                'Its directory %s may be mounted noexec: set preflight_stage_parent to one that is not.' % a['stage_parent']
                if rc == 126 and runtime == 'binary'
                else 'Set preflight_executable to the installed checker.'
                if runtime == 'existing'
                else 'The single executable is for %s Linux with glibc 2.28 or later.' % ARCHES.get(self._arch, 'another architecture')
                if runtime == 'binary'
                else ''
            )
            raise NoVerdict(
                'The checker did not start on %s (%s runtime): %s. %s'
                % (host, runtime, _truncate(re.sub(r'^timeout: ', '', stderr.strip()), 300), hint)
            )

    # -- the controller runtime --------------------------------------------------

    def _local(self, argv, timeout, host):
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise NoVerdict(
                'The checker ran longer than preflight_timeout (%d s) on %s and was stopped; raise preflight_timeout'
                ' (a whole number of seconds), or find what makes it slow there.' % (timeout, host)
            )
        except OSError as e:
            raise NoVerdict('The checker did not start on the controller for %s (controller runtime): %s.' % (host, e.strerror or e))
        return p.returncode, to_text(p.stdout), to_text(p.stderr)

    def _on_controller(self, args, host, task_vars):
        """Read what the checker names on the node, a round at a time, and check the snapshot here.

        One `check --snapshot --gather` per host: it prints what is still missing as a JSON line, this
        action reads that on the node (node_inputs' reader) and writes the records back as a line, until
        the checker has everything and checks. The first question, which depends on the bundle and the
        checklist only, is answered once per play for all hosts.
        """
        self._args = args
        command = [args['controller_node_executable'], args['bundle_src']]
        checklist = ['--checklist', args['checklist']] if args['checklist'] else []
        argv = command + ['check', '--gather', '--format', 'json'] + (['--strict'] if args['strict'] else [])
        if args['report_dir']:
            self._makedirs(args['report_dir'])
            argv += ['--save-snapshot', os.path.join(args['report_dir'], host + '.snapshot.json')]
        argv += checklist + (['--ignore', ','.join(args['ignore'])] if args['ignore'] else []) + args['extra_args']
        # The snapshot holds the node's files as read (secrets included until the checker replaces them):
        # a private directory, removed in any case.
        with tempfile.TemporaryDirectory(prefix='kube-preflight-controller.') as private:
            snapshot = os.path.join(private, 'snapshot.json')
            self._write(snapshot, json.dumps(self._snapshot(args, {})), 0o600)
            rc, out, err = self._inputs(command + ['inputs', '--snapshot', snapshot, '--format', 'json'] + checklist, args, host)
            if rc == 2:
                return rc, out, err
            records = self._read_on_node(args, self._json(out, err, host), host, task_vars)
            self._write(snapshot, json.dumps(self._snapshot(args, records)), 0o600)
            return self._gather(argv + ['--snapshot', snapshot], args, host, task_vars)

    def _gather(self, argv, args, host, task_vars):
        """Run `check --gather`, answering its questions until it has checked; its exit code, report and stderr."""
        deadline = time.time() + args['timeout']
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise NoVerdict('The checker did not start on the controller for %s (controller runtime): %s.' % (host, e.strerror or e))
        try:
            # The first round was the shared question; each further round is one line each way.
            for done in range(1, args['controller_rounds'] + 1):
                if not select.select([proc.stdout], [], [], max(0, deadline - time.time()))[0]:
                    raise subprocess.TimeoutExpired(argv, args['timeout'])
                line = to_text(proc.stdout.readline())
                if not line.startswith('{"complete":false'):
                    # Complete (the report follows), or the checker stopped (its exit 2 explains).
                    break
                if done == args['controller_rounds']:
                    raise NoVerdict(
                        'The files of %s still named new paths to read after %d rounds; raise preflight_controller_rounds,'
                        ' or use another preflight_runtime.' % (host, args['controller_rounds'])
                    )
                records = self._read_on_node(args, self._json(line, '', host), host, task_vars)
                proc.stdin.write(to_bytes(json.dumps(dict(paths=records)) + '\n'))
                proc.stdin.flush()
            # communicate closes stdin: a checker still asking then reads the end of its input.
            out, err = proc.communicate(timeout=max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            raise NoVerdict(
                'The checker ran longer than preflight_timeout (%d s) on %s and was stopped; raise preflight_timeout'
                ' (a whole number of seconds), or find what makes it slow there.' % (args['timeout'], host)
            )
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return proc.returncode, to_text(out), to_text(err)

    @staticmethod
    def _json(text, err, host):
        try:
            return json.loads(text)
        except ValueError:
            raise NoVerdict('preflight printed no list of inputs for %s: %s' % (host, _truncate(text + err, 300)))

    def _inputs(self, argv, args, host):
        """`preflight inputs` on nothing gathered: the answer depends on the bundle and the checklist only, so the
        play's hosts share it through Ansible's private local temporary directory (one computes, the others wait)."""
        key = hashlib.sha256()
        for path in [args['bundle_src']] + ([args['checklist']] if args['checklist'] else []):
            with open(path, 'rb') as f:
                key.update(hashlib.sha256(f.read()).digest())
        cache = os.path.join(C.DEFAULT_LOCAL_TMP, 'kube-preflight-inputs-%s.json' % key.hexdigest()[:32])
        with open(cache + '.lock', 'a') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if os.path.isfile(cache):
                    with open(cache, 'r') as f:
                        return 0, f.read(), ''
                rc, out, err = self._local(argv, args['timeout'], host)
                if rc == 0:
                    self._write(cache + '.tmp', out, 0o600)
                    os.rename(cache + '.tmp', cache)
                return rc, out, err
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_on_node(self, args, wanted, host, task_vars):
        """node_inputs' reader run by the node's Python directly (no module wrapper: a round costs one process, not an Ansible module run)."""
        interpreter = self._templar.template(task_vars.get('ansible_python_interpreter') or '') or (task_vars.get('ansible_facts') or {}).get(
            'discovered_interpreter_python', '/usr/bin/python3'
        )
        with open(os.path.join(os.path.dirname(__file__), '..', 'modules', 'node_inputs.py'), 'r') as f:
            source = f.read()
        request = dict(source=source, root=args['root'], read=wanted['read'], list=wanted['list'], stat=wanted['stat'])
        command = '%s %s -c %s' % (self._compute_environment_string(), shlex.quote(interpreter), shlex.quote(READER))
        r = self._low_level_execute_command(command, sudoable=True, in_data=to_bytes(json.dumps(request)))
        try:
            answer = json.loads(to_text(r.get('stdout', '')))
        except ValueError:
            # Never the reader's stdout: it holds the node's files as read, secrets included.
            answer = dict(error=_truncate(to_text(r.get('stderr', '')), 300) or 'no answer it could read')
        if answer.get('error') or r.get('rc') != 0:
            raise NoVerdict('Reading the files of %s failed (%s): %s' % (host, interpreter, answer.get('error') or 'exit code %s' % r.get('rc')))
        return answer['records']

    @staticmethod
    def _snapshot(args, records):
        # The checker's snapshot format (schemas/snapshot.schema.json): what node_inputs read.
        return {
            'schemaVersion': 1,
            'kind': 'NodeSnapshot',
            'tool': {'name': 'kube_preflight.node', 'version': 'controller runtime'},
            'root': args['root'],
            'online': False,
            'paths': records,
            'commands': {},
        }

    @staticmethod
    def _write(path, text, mode):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, 'wb') as f:
            f.write(to_bytes(text))
        os.chmod(path, mode)

    @staticmethod
    def _makedirs(path):
        if not os.path.isdir(path):
            os.makedirs(path, 0o755)

    # -- the report ----------------------------------------------------------------

    def _read_report(self, args, host, runtime, rc, stdout, stderr):
        """The parsed report, or why there is no verdict: 0 ready, 1 blocking findings, 2 the checker could not evaluate."""
        if rc == 2:
            problems = '; '.join(re.sub(r'^preflight: ', '', line) for line in stderr.splitlines() if line.strip())
            raise NoVerdict(
                "preflight could not evaluate %s (exit 2): %s. This is a problem with the role's input (preflight_checklist,"
                ' preflight_skip, preflight_root, preflight_online or preflight_extra_args), not a finding on the node.' % (host, problems)
            )
        if rc not in (0, 1):
            raise NoVerdict('preflight failed on %s with exit code %s (%s runtime): %s' % (host, rc, runtime, _truncate(stderr, 500)))
        try:
            report = json.loads(stdout)
        except ValueError:
            raise NoVerdict(
                'preflight exited %s on %s without a JSON report; it printed %s and %s.'
                % (rc, host, json.dumps(_truncate(stdout, 300)), json.dumps(_truncate(stderr, 300)))
            )
        if (
            not isinstance(report, dict)
            or report.get('kind') != 'PreflightReport'
            or report.get('schemaVersion') != REPORT_SCHEMA
            or (report.get('summary') or {}).get('exitCode') != rc
        ):
            got = report if isinstance(report, dict) else {}
            raise NoVerdict(
                'The checker on %s printed a report this role does not read (kind %s, schemaVersion %s, exit code %s);'
                ' use the kube-preflight release this collection came with.' % (host, got.get('kind', 'none'), got.get('schemaVersion', 'none'), rc)
            )
        return report

    @staticmethod
    def _violations(report):
        """One entry per violation of every failed rule; blocking as the checker counts it (errors, and warnings under --strict)."""
        strict = bool((report.get('settings') or {}).get('strict'))
        out = []
        for result in report.get('results') or []:
            if result.get('status') != 'fail':
                continue
            for v in result.get('violations') or []:
                evidence = v.get('evidence') or {}
                out.append(
                    dict(
                        id=result.get('id'),
                        severity=v.get('severity'),
                        blocking=v.get('severity') == 'error' or (v.get('severity') == 'warning' and strict),
                        message=v.get('message'),
                        file=evidence.get('file') or '',
                        line=evidence.get('line') or 0,
                        alias=v.get('alias') or '',
                        remediation=result.get('remediation'),
                    )
                )
        return out

    @classmethod
    def _causes(cls, report):
        """What the failure message says: one entry per cause, its findings and its one fix.

        The report's cause grouping (causes: [{id, file, severity, active, consequences, fix}], each
        consequence naming a result and the index of its violation) when it has one, read defensively;
        else the failed rules, each with its violations. Causes with the same fix are merged, so the
        message gives each fix once.
        """
        strict = bool((report.get('settings') or {}).get('strict'))
        results = dict((r.get('id'), r) for r in report.get('results') or [] if isinstance(r, dict))
        blocks = lambda severity: severity == 'error' or (severity == 'warning' and strict)  # noqa: E731
        out = []
        causes = report.get('causes')
        if isinstance(causes, list) and causes:
            for c in causes:
                if not isinstance(c, dict):
                    continue
                consequences = c.get('consequences')
                consequences = [consequences] if isinstance(consequences, str) else consequences if isinstance(consequences, list) else []
                severity = str(c.get('severity') or 'error')
                out.append(
                    dict(
                        where=str(c.get('id') or c.get('file') or '-'),
                        blocking=c.get('active', True) is not False and blocks(severity),
                        severity=severity,
                        findings=[cls._consequence(q, results) for q in consequences],
                        fix=str(c.get('fix') or ''),
                    )
                )
        else:
            for v in cls._violations(report):
                if out and out[-1]['where'] == v['id']:
                    out[-1]['findings'].append(v['message'])
                    out[-1]['blocking'] = out[-1]['blocking'] or v['blocking']
                else:
                    out.append(dict(where=v['id'], blocking=v['blocking'], severity=v['severity'], findings=[v['message']], fix=v['remediation'] or ''))
        merged = []
        for c in out:
            same = [m for m in merged if c['fix'] and m['fix'] == c['fix'] and m['blocking'] == c['blocking']]
            if same:
                same[0]['where'] += ', ' + c['where']
                same[0]['findings'] += c['findings']
            else:
                merged.append(c)
        return merged

    @staticmethod
    def _consequence(q, results):
        """A consequence as a sentence: the message of the violation it names, or what it says itself."""
        if isinstance(q, dict):
            violations = (results.get(q.get('result')) or {}).get('violations') or []
            index = q.get('violation')
            if isinstance(index, int) and 0 <= index < len(violations) and isinstance(violations[index], dict) and violations[index].get('message'):
                return str(violations[index]['message'])
            for key in ('message', 'summary', 'title', 'id', 'rule', 'result'):
                if q.get(key):
                    return str(q[key])
            return json.dumps(q, sort_keys=True)
        return str(q)

    @staticmethod
    def _kubeadm_ignore(report):
        """What kubeadm of the target version must ignore (the report's kubeadm.ignorePreflightErrors)."""
        kubeadm = report.get('kubeadm')
        if isinstance(kubeadm, dict):
            return list(kubeadm.get('ignorePreflightErrors') or [])
        # Older checkers: a rule skipped with --ignore gives all its kubeadm names; a rule of
        # which only some names were ignored lists them in "ignored".
        asked = [x.strip() for x in ','.join((report.get('settings') or {}).get('ignore') or []).lower().split(',')]
        out = []
        for result in report.get('results') or []:
            aliases = result.get('aliases') or []
            if 'ignored' in result:
                names = result['ignored']
            elif result.get('status') == 'skipped' and (result.get('id', '').lower() in asked or any(a.lower() in asked for a in aliases)):
                names = aliases
            else:
                names = []
            out += [n for n in names if n not in out]
        return out
