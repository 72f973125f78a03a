#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: kube-preflight contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Read the paths kube-preflight's static checks need, in the checker's snapshot record format."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: node_inputs
short_description: Read files, directory listings and metadata for kube-preflight, confined to a root
description:
  - Reads the paths that C(preflight inputs) names and returns one record per path in the format of
    kube-preflight's snapshot (schemas/snapshot.schema.json), so the checker can run on the controller
    (the role's controller runtime) and the node needs no Node.js.
  - Paths resolve inside O(root) as under chroot, as the checker's own collector does, so an absolute
    symlink target restarts at the root, C(..) never climbs above it, and loops stop after 40 links.
  - Only reads. Never follows a path out of O(root), never opens a FIFO or a device for reading.
version_added: "1.1.0"
options:
  root:
    description: The node's root directory; C(/) on the node itself.
    type: path
    default: /
  read:
    description: Node paths whose content is wanted.
    type: list
    elements: str
    default: []
  list:
    description: Node paths of directories whose listing is wanted.
    type: list
    elements: str
    default: []
  stat:
    description: Node paths whose metadata is wanted.
    type: list
    elements: str
    default: []
  max_file_bytes:
    description: Largest file read; larger files are recorded with the error code C(TOO_LARGE).
    type: int
    default: 4194304
author:
  - kube-preflight contributors
"""

EXAMPLES = r"""
- name: Read what preflight inputs asked for
  kube_preflight.node.node_inputs:
    root: /
    read: [/etc/containerd/config.toml]
    list: [/etc/containerd/certs.d]
  register: gathered
  no_log: true
"""

RETURN = r"""
records:
  description: One snapshot record per requested path, keyed by the normalized node path.
  returned: always
  type: dict
"""

import errno
import os
import stat as st_mod

from ansible.module_utils.basic import AnsibleModule

MAX_HOPS = 40
MAX_DIR_ENTRIES = 10000


def components(path):
    return [c for c in path.split('/') if c not in ('', '.')]


def host_join(root, parts):
    if not parts:
        return root
    return ('' if root == '/' else root) + '/' + '/'.join(parts)


def type_of(st):
    mode = st.st_mode
    if st_mod.S_ISREG(mode):
        return 'file'
    if st_mod.S_ISDIR(mode):
        return 'directory'
    if st_mod.S_ISFIFO(mode):
        return 'fifo'
    if st_mod.S_ISSOCK(mode):
        return 'socket'
    if st_mod.S_ISCHR(mode):
        return 'char-device'
    return 'block-device'


def error_name(err):
    return errno.errorcode.get(err.errno, 'EIO')


def lstat_or_none(path):
    try:
        return os.lstat(path)
    except OSError as err:
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise


class RootReader(object):
    """Resolves node paths under one root the way the checker's collector does."""

    def __init__(self, root, max_file_bytes):
        self.root = os.path.realpath(root)
        self.max_file_bytes = max_file_bytes
        self.dirs = {}

    def walk(self, node_path, hops):
        remaining = components(node_path)
        current = []
        try:
            while remaining:
                c = remaining.pop(0)
                if c == '..':
                    if current:
                        current.pop()
                    continue
                host = host_join(self.root, current + [c])
                st = lstat_or_none(host)
                if st is None:
                    return {'missing': True}
                if st_mod.S_ISLNK(st.st_mode):
                    hops += 1
                    if hops > MAX_HOPS:
                        return {'error': {'code': 'ELOOP', 'message': 'too many levels of symbolic links'}}
                    target = os.readlink(host)
                    if target.startswith('/'):
                        current = []
                    remaining = components(target) + remaining
                    continue
                if remaining and not st_mod.S_ISDIR(st.st_mode):
                    return {'missing': True}
                current.append(c)
            host_path = host_join(self.root, current)
            return {'host': host_path, 'stat': os.lstat(host_path)}
        except OSError as err:
            return {'error': {'code': error_name(err), 'message': 'cannot look up ' + node_path}}

    def resolve_dir(self, node_dir):
        if node_dir not in self.dirs:
            known = self.walk(node_dir, 0)
            if 'host' in known and not st_mod.S_ISDIR(known['stat'].st_mode):
                known = {'missing': True}
            self.dirs[node_dir] = known
        return self.dirs[node_dir]

    def resolve(self, node_path):
        parts = components(node_path)
        name = parts.pop() if parts else None
        parent = self.resolve_dir('/' + '/'.join(parts))
        if 'host' not in parent:
            return parent
        try:
            if name is None or name == '..':
                return self.walk(node_path, 0)
            host = host_join(parent['host'], [name])
            st = lstat_or_none(host)
            if st is None:
                return {'missing': True}
            if not st_mod.S_ISLNK(st.st_mode):
                return {'host': host, 'stat': st}
            link = os.readlink(host)
            real_parent = parent['host'] if self.root == '/' else (parent['host'][len(self.root):] or '/')
            target = self.walk(link if link.startswith('/') else real_parent + '/' + link, 1)
            if 'host' in target:
                target['link'] = link
            return target
        except OSError as err:
            return {'error': {'code': error_name(err), 'message': 'cannot look up ' + node_path}}

    def link_of(self, node_path):
        parts = components(node_path)
        name = parts.pop() if parts else None
        parent = self.resolve_dir('/' + '/'.join(parts))
        if name is None or 'host' not in parent:
            return None
        try:
            host = host_join(parent['host'], [name])
            st = lstat_or_none(host)
            return os.readlink(host) if st is not None and st_mod.S_ISLNK(st.st_mode) else None
        except OSError:
            return None

    def collect(self, node_path, kinds):
        resolved = self.resolve(node_path)
        if 'host' not in resolved:
            record = {'type': 'missing'} if 'missing' in resolved else {'type': 'error', 'error': resolved['error']}
            link = self.link_of(node_path)
            if link is not None:
                record['link'] = link
            return record
        st = resolved['stat']
        record = {'type': type_of(st), 'mode': st.st_mode, 'uid': st.st_uid, 'gid': st.st_gid, 'size': st.st_size, 'mtimeMs': st.st_mtime_ns // 1000000}
        if 'link' in resolved:
            record['link'] = resolved['link']
        if 'read' in kinds and st_mod.S_ISREG(st.st_mode):
            self.read_file(resolved['host'], record)
        if 'list' in kinds and st_mod.S_ISDIR(st.st_mode):
            self.list_dir(resolved['host'], record)
        return record

    def read_file(self, host, record):
        try:
            fd = os.open(host, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError as err:
            record['type'] = 'error'
            record['error'] = {'code': error_name(err), 'message': 'cannot open the file'}
            return
        try:
            st = os.fstat(fd)
            record.update({'type': type_of(st), 'mode': st.st_mode, 'uid': st.st_uid, 'gid': st.st_gid, 'size': st.st_size, 'mtimeMs': st.st_mtime_ns // 1000000})
            if not st_mod.S_ISREG(st.st_mode):
                return
            chunks = []
            total = 0
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > self.max_file_bytes:
                    record['error'] = {'code': 'TOO_LARGE', 'message': 'larger than the %d-byte limit' % self.max_file_bytes}
                    return
                chunks.append(chunk)
            data = b''.join(chunks)
            try:
                record['content'] = data.decode('utf-8')
            except UnicodeDecodeError:
                record['content'] = data.decode('utf-8', 'replace')
                record['invalidUtf8'] = True
        except OSError as err:
            record['type'] = 'error'
            record['error'] = {'code': error_name(err), 'message': 'cannot read the file'}
        finally:
            os.close(fd)

    def list_dir(self, host, record):
        try:
            names = sorted(os.listdir(host), key=lambda n: n.encode('utf-8', 'surrogateescape'))
            entries = []
            for name in names[:MAX_DIR_ENTRIES]:
                path = host_join(host, [name])
                st = os.lstat(path)
                if st_mod.S_ISLNK(st.st_mode):
                    entries.append({'name': name, 'type': 'symlink', 'link': os.readlink(path)})
                elif st_mod.S_ISREG(st.st_mode):
                    entries.append({'name': name, 'type': 'file'})
                elif st_mod.S_ISDIR(st.st_mode):
                    entries.append({'name': name, 'type': 'directory'})
                else:
                    entries.append({'name': name, 'type': 'other'})
            record['entries'] = entries
        except OSError as err:
            record['error'] = {'code': error_name(err), 'message': 'cannot list the directory'}


def normalize(path):
    return '/' + '/'.join(components(path))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type='path', default='/'),
            read=dict(type='list', elements='str', default=[]),
            list=dict(type='list', elements='str', default=[]),
            stat=dict(type='list', elements='str', default=[]),
            max_file_bytes=dict(type='int', default=4194304),
        ),
        supports_check_mode=True,
    )
    root = module.params['root']
    if not os.path.isdir(root):
        module.fail_json(msg='root %s is not a directory' % root)
    reader = RootReader(root, module.params['max_file_bytes'])
    wanted = {}
    for kind in ('read', 'list', 'stat'):
        for path in module.params[kind]:
            wanted.setdefault(normalize(path), set()).add(kind)
    records = dict((path, reader.collect(path, kinds)) for path, kinds in wanted.items())
    module.exit_json(changed=False, records=records)


if __name__ == '__main__':
    main()
