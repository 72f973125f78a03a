#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: kube-preflight contributors
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Documentation of the preflight_run action; the work is done on the controller by plugins/action/preflight_run.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: preflight_run
short_description: Run kube-preflight for one host in one task and read its report
description:
  - The preflight role's one task per host. It runs on the controller (an action, like C(template)) and,
    for the chosen runtime, checks the node's Node.js version or uses the single executable, transfers the
    checker (and the checklist) to the node, stages it in a private directory under O(stage_parent), runs it
    within O(timeout) seconds and removes the directory again, all in three round trips at most.
  - With O(runtime=controller) nothing of its own runs on the node - the reader of the collection's
    M(kube_preflight.node.node_inputs) module, run by the node's Python, reads the files the checker names, a round
    at a time, and one C(preflight check --snapshot --gather) runs on the controller.
  - It reads the exit code and the JSON report. It fails only when there is no verdict to read (bad input,
    a checker that did not start or ran too long, an unreadable report); the findings are returned, and
    the role decides, together with its cross-host checks.
  - Only reads on the node; it also runs under C(--check).
version_added: "1.2.0"
options:
  runtime:
    description: How the checker runs; see the role's C(preflight_runtime).
    type: str
    required: true
    choices: [node, binary, existing, controller, auto]
  root:
    description: The node's root directory for C(--root).
    type: str
    default: /
  strict:
    description: Pass C(--strict) (warnings block too).
    type: bool
    default: true
  online:
    description: Pass C(--online) (live probes; needs O(root=/) and a runtime on the node).
    type: bool
    default: false
  checklist:
    description: Controller path of a checklist file; empty for the embedded one.
    type: str
    default: ""
  ignore:
    description: Rule ids, domains or kubeadm check names for C(--ignore).
    type: list
    elements: str
    default: []
  extra_args:
    description: More checker arguments, as separate words.
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds the checker may run.
    type: int
    default: 120
  bundle_src:
    description: Controller path of the bundle (C(preflight.cjs)).
    type: str
    required: true
  binary_src:
    description: Controller path of the single executable; empty for C(preflight-linux-<arch>) beside the real O(bundle_src).
    type: str
    default: ""
  binary_checksum:
    description: Its sha256; empty for the first word of the C(.sha256) file beside it.
    type: str
    default: ""
  executable:
    description: The installed checker of the C(existing) runtime.
    type: str
    default: preflight
  node_executable:
    description: The node's Node.js for the C(node) runtime.
    type: str
    default: node
  node_min_version:
    description: The oldest Node.js the C(node) runtime accepts.
    type: str
    default: "20.0.0"
  controller_node_executable:
    description: The controller's Node.js for the C(controller) runtime.
    type: str
    default: node
  controller_rounds:
    description: The most rounds of reading of the C(controller) runtime.
    type: int
    default: 8
  stage_parent:
    description: Directory on the node for the private staging directory.
    type: str
    default: /var/lib
  report_dir:
    description:
      - Controller directory for the report, C(<inventory_hostname>.json), and the snapshot the checker read,
        C(<inventory_hostname>.snapshot.json) (secrets replaced, mode 0600); empty for none.
    type: str
    default: ""
  problems:
    description:
      - Problems with the role's variables found before the task (the role's C(__preflight_input_problems)); when
        there are any, the task fails with them and touches nothing.
    type: list
    elements: str
    default: []
  clashes:
    description:
      - This host's clashes with other hosts of the play (duplicate hostname, product_uuid or MAC address), each
        C({id, message, remediation}); they count as blocking violations beside the checker's.
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    support: full
    description: The checker only reads; it runs under C(--check) too.
author:
  - kube-preflight contributors
"""

EXAMPLES = r"""
- name: Run the checker
  kube_preflight.node.preflight_run:
    runtime: auto
    bundle_src: /opt/kube-preflight/dist/preflight.cjs
    stage_parent: /var/lib
  register: checked
"""

RETURN = r"""
exit_code:
  description: The checker's exit code, 0 (ready) or 1 (blocking findings).
  returned: success
  type: int
runtime:
  description: The runtime that ran (C(auto) resolved to C(node) or C(binary)).
  returned: success
  type: str
causes:
  description:
    - What the failure message says, one entry per cause - where, blocking, severity, findings (sentences) and one fix;
      the report's causes resolved to their messages and merged by fix, then the cross-host clashes.
  returned: success
  type: list
  elements: dict
report_path:
  description: Where the report was saved on the controller, or empty.
  returned: success
  type: str
snapshot_path:
  description: Where the snapshot the checker read (secrets replaced, mode 0600) was saved on the controller, or empty.
  returned: success
  type: str
ansible_facts:
  description:
    - The role's facts for later plays - C(preflight_passed), C(preflight_violations) (the checker's, then the clashes),
      C(preflight_report), C(preflight_kubeadm_ignore) and C(preflight_runtime_used).
  returned: success
  type: dict
"""


def main():
    # An action: Ansible runs plugins/action/preflight_run.py on the controller instead of this file.
    raise SystemExit('kube_preflight.node.preflight_run runs as an action on the controller; this file only documents it')


if __name__ == '__main__':
    main()
