#!/usr/bin/env python3
"""Regenerate test/fixtures/published from clones of the projects that publish the configurations.

usage: PUBLISHED_REPOS=/path/to/clones /usr/bin/python3 scripts/published-fixtures.py

PUBLISHED_REPOS holds one bare or full clone per repository, named owner+name/repo (as /work/.mirror does).
Needs jinja2 and ansible-core (Debian's python3-jinja2, ansible-core) for the templates, and a Debian 12
machine with the containerd package for the kubeadm-debian node (its unit, its status paragraph and
`containerd config default`). SOURCES.md is written by hand from what this prints.
"""
import subprocess, json, sys, re, os, hashlib
import jinja2
from ansible.plugins.test.core import version_compare

def show(repo, commit, path):
    return subprocess.run(['git', '-C', os.path.join(os.environ.get('PUBLISHED_REPOS', '/work/.mirror'), repo, 'repo'), 'show', f'{commit}:{path}'], check=True, capture_output=True, text=True).stdout

def env():
    e = jinja2.Environment(keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=False, undefined=jinja2.StrictUndefined)
    e.tests['version'] = lambda value, version, operator='eq': version_compare(value, version, operator)
    e.filters['lower'] = lambda v: str(v).lower()
    e.filters['flatten'] = lambda v: [x for y in v for x in (y if isinstance(y, list) else [y])]
    e.filters['bool'] = lambda v: bool(v) if not isinstance(v, str) else v.lower() in ('true', 'yes', '1')
    e.filters['string'] = str
    e.filters['b64decode'] = lambda v: __import__('base64').b64decode(v).decode()
    e.filters['regex_replace'] = lambda v, a, b: re.sub(a, b, v)
    e.filters['replace'] = lambda v, a, b: str(v).replace(a, b)
    return e

def render(repo, commit, path, values, trim_blocks=True):
    e = env()
    e.trim_blocks = trim_blocks
    def lookup(kind, name, default=None):
        return values.get(name, default)
    t = e.from_string(show(repo, commit, path))
    return t.render(lookup=lookup, **values)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'published')
SPRAY = ('kubernetes-sigs+kubespray', '46dbdd3994b32640bcd806b0097f50e8fdf1d514')
EKS = ('awslabs+amazon-eks-ami', '81fec2e895854f599974fe4d3d72f61c0a9aaffa')
KIND = ('kubernetes-sigs+kind', 'fed268827e21ca48a74c38215c316dd343364ef5')
REL = ('kubernetes+release', 'f618b2a308bc76e90e987e45ab17c85778dd5993')
IB = ('kubernetes-sigs+image-builder', 'ae63061efb154adbbd4605958c506aae8fc1d03c')
CTRD = ('containerd+containerd', '301026e58c61')
sources = []

def write(base, path, text, origin):
    full = os.path.join(OUT, base, 'root', path.lstrip('/'))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as f:
        f.write(text)
    sources.append((base, path, origin, hashlib.sha256(text.encode()).hexdigest()[:12]))

def raw(repo, path):
    return show(repo[0], repo[1], path)

# ---------------------------------------------------------------- kubespray
spray_values = dict(
    container_manager='containerd', kubelet_systemd_wants_dependencies=[], system_reserved=False, kube_reserved=False,
    bin_dir='/usr/local/bin', kubelet_systemd_hardening=False,
    kube_log_level=2, kubelet_address='10.0.0.21', kube_override_hostname='', kube_config_dir='/etc/kubernetes',
    kubelet_runtime_cgroups='/system.slice/containerd.service', kubelet_custom_flags=[], cloud_provider='',
    kubelet_status_update_frequency='10s', kubelet_fail_swap_on=True, kubelet_authentication_token_webhook=True,
    kube_cert_dir='/etc/kubernetes/ssl', kubelet_authorization_mode_webhook=True, kube_version='1.34.3', kubelet_fail_cgroup_v1=True,
    kubelet_enforce_node_allocatable='""', kube_manifest_dir='/etc/kubernetes/manifests', kubelet_cgroup_driver='systemd',
    kubelet_logfiles_max_nr=5, kubelet_logfiles_max_size='10Mi', cri_socket='unix:///var/run/containerd/containerd.sock', kubelet_max_pods=110,
    kubelet_pod_pids_limit=-1, kubelet_bind_address='10.0.0.21', kube_read_only_port=0, kubelet_healthz_port=10248,
    kubelet_healthz_bind_address='127.0.0.1', kubelet_kubelet_cgroups='/system.slice/kubelet.service', dns_domain='cluster.local',
    kubelet_protect_kernel_defaults=True, kubelet_rotate_certificates=True, kubelet_rotate_server_certificates=False,
    enable_nodelocaldns=True, nodelocaldns_ip='169.254.25.10', dns_mode='coredns', skydns_server='10.233.0.3',
    kube_reserved_cgroups='/kube.slice', system_reserved_cgroups='/system.slice',
    kube_cpu_reserved='100m', kube_memory_reserved='256Mi', kube_ephemeral_storage_reserved='500Mi', kube_pid_reserved='1000',
    system_cpu_reserved='500m', system_memory_reserved='512Mi', system_ephemeral_storage_reserved='500Mi', system_pid_reserved='1000',
    kube_resolv_conf='/etc/resolv.conf', kubelet_config_extra_args={}, kubelet_feature_gates=[], kube_feature_gates=[],
    kubelet_event_record_qps=50, kubelet_shutdown_grace_period='60s', kubelet_shutdown_grace_period_critical_pods='20s',
    kubelet_tracing=False, kubelet_max_parallel_image_pulls=1,
    containerd_version='2.3.4', containerd_storage_dir='/var/lib/containerd', containerd_state_dir='/run/containerd', containerd_oom_score=0,
    containerd_grpc_max_recv_message_size=16777216, containerd_grpc_max_send_message_size=16777216, containerd_debug_address='',
    containerd_debug_level='info', containerd_debug_format='', containerd_debug_uid=0, containerd_debug_gid=0, containerd_metrics_address='',
    containerd_metrics_grpc_histogram=False, containerd_max_container_log_line_size=16384, containerd_enable_unprivileged_ports=False,
    containerd_enable_unprivileged_icmp=False, containerd_enable_selinux=False, containerd_disable_apparmor=False,
    containerd_tolerate_missing_hugetlb_controller=True, containerd_disable_hugetlb_controller=True, enable_cdi=False,
    containerd_extra_runtime_args={}, containerd_default_runtime='runc',
    containerd_runc_runtime=dict(name='runc', type='io.containerd.runc.v2', base_runtime_spec='cri-base.json', options=dict(Root='', SystemdCgroup='true', BinaryName='/usr/local/bin/runc')),
    containerd_additional_runtimes=[], containerd_cfg_dir='/etc/containerd', kata_containers_enabled=False, gvisor_enabled=False,
    containerd_snapshotter='overlayfs', containerd_discard_unpacked_layers=True, containerd_image_pull_progress_timeout='5m',
    pod_infra_image_repo='registry.k8s.io/pause', pod_infra_image_tag='3.10.1', nri_enabled=True, containerd_tracing_enabled=False,
    containerd_bin_dir='/usr/local/bin', containerd_limit_proc_num='infinity', containerd_limit_core='infinity',
    containerd_limit_open_file_num=1048576, containerd_limit_mem_lock='infinity',
    http_proxy='http://proxy.corp.example:3128', https_proxy='http://proxy.corp.example:3128',
    no_proxy='cp.corp.example,10.0.0.10,10.0.0.21,node1,node1.cluster.local,127.0.0.1,localhost,10.233.0.0/18,10.233.64.0/18,svc,svc.cluster.local',
)
values = dict(spray_values)
note = 'rendered with jinja2 and the role defaults (containerd 2.3.4, Kubernetes 1.34, kubelet_address 10.0.0.21)'
write('kubespray', '/etc/systemd/system/kubelet.service', render(*SPRAY, 'roles/kubernetes/node/templates/kubelet.service.j2', values), f'kubespray roles/kubernetes/node/templates/kubelet.service.j2, {note}')
write('kubespray', '/etc/kubernetes/kubelet.env', render(*SPRAY, 'roles/kubernetes/node/templates/kubelet.env.v1beta1.j2', values), f'kubespray roles/kubernetes/node/templates/kubelet.env.v1beta1.j2, {note}')
write('kubespray', '/etc/kubernetes/kubelet-config.yaml', render(*SPRAY, 'roles/kubernetes/node/templates/kubelet-config.v1beta1.yaml.j2', values), f'kubespray roles/kubernetes/node/templates/kubelet-config.v1beta1.yaml.j2, {note}')
write('kubespray', '/etc/systemd/system/containerd.service', render(*SPRAY, 'roles/container-engine/containerd/templates/containerd.service.j2', values), f'kubespray roles/container-engine/containerd/templates/containerd.service.j2, {note}')
write('kubespray', '/etc/containerd/config.toml', render(*SPRAY, 'roles/container-engine/containerd/templates/config.toml.j2', values), f'kubespray roles/container-engine/containerd/templates/config.toml.j2, {note}')
item = dict(prefix='docker.io', mirrors=[dict(host='https://registry-1.docker.io', capabilities=['pull', 'resolve'], skip_verify=False)])
write('kubespray', '/etc/containerd/certs.d/docker.io/hosts.toml', render(*SPRAY, 'roles/container-engine/containerd/templates/hosts.toml.j2', dict(item=item)), f'kubespray roles/container-engine/containerd/templates/hosts.toml.j2 with the default containerd_registries_mirrors')
write('kubespray', '/etc/systemd/system/containerd.service.d/http-proxy.conf', render(*SPRAY, 'roles/container-engine/containerd/templates/http-proxy.conf.j2', values), 'kubespray roles/container-engine/containerd/templates/http-proxy.conf.j2 with http_proxy/https_proxy set and no_proxy as roles/network_facts computes it for one control plane (10.0.0.10) and this node')

# ---------------------------------------------------------------- EKS AL2023 (nodeadm)
write('eks-al2023', '/etc/systemd/system/kubelet.service', raw(EKS, 'templates/al2023/runtime/rootfs/etc/systemd/system/kubelet.service'), 'amazon-eks-ami templates/al2023/runtime/rootfs/etc/systemd/system/kubelet.service (verbatim)')
write('eks-al2023', '/etc/systemd/system/containerd.service.d/00-runtime-slice.conf', raw(EKS, 'templates/al2023/runtime/rootfs/etc/systemd/system/containerd.service.d/00-runtime-slice.conf'), 'amazon-eks-ami templates/al2023/runtime/rootfs/etc/systemd/system/containerd.service.d/00-runtime-slice.conf (verbatim)')
write('eks-al2023', '/usr/lib/systemd/system/containerd.service', raw(CTRD, 'containerd.service').replace('/usr/local/bin/containerd', '/usr/bin/containerd'), "containerd containerd.service (upstream unit, binary at /usr/bin as the distribution package installs it)")
write('eks-al2023', '/etc/eks/kubelet/environment', 'NODEADM_KUBELET_ARGS=--node-ip=10.0.0.31 --cloud-provider=external --hostname-override=ip-10-0-0-31.us-west-2.compute.internal --kubeconfig=/var/lib/kubelet/kubeconfig --image-credential-provider-bin-dir=/etc/eks/image-credential-provider --image-credential-provider-config=/etc/eks/image-credential-provider/config.json --config=/etc/kubernetes/kubelet/config.json --config-dir=/etc/kubernetes/kubelet/config.json.d\n', 'the file nodeadm nodeadm/internal/kubelet/environment.go writes (NODEADM_KUBELET_ARGS: the flags of nodeadm/internal/kubelet/config.go, one node)')
write('eks-al2023', '/etc/kubernetes/kubelet/config.json', raw(EKS, 'nodeadm/test/e2e/cases/kubelet-config-dir/expected-kubelet-config.json'), 'amazon-eks-ami nodeadm/test/e2e/cases/kubelet-config-dir/expected-kubelet-config.json (verbatim: what nodeadm writes for Kubernetes 1.29 with a user kubelet config)')
write('eks-al2023', '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf', raw(EKS, 'nodeadm/test/e2e/cases/kubelet-config-dir/expected-kubelet-config-drop-in.json'), 'amazon-eks-ami nodeadm/test/e2e/cases/kubelet-config-dir/expected-kubelet-config-drop-in.json (verbatim)')
tmpl = raw(EKS, 'nodeadm/internal/containerd/config2.template.toml')
tmpl = tmpl.replace('{{- if .UseSOCISnapshotter}}\nsnapshotter = "soci"\ndisable_snapshot_annotations = false\n{{- end}}', '')
tmpl = tmpl.split('{{if .UseSOCISnapshotter}}')[0]
tmpl = tmpl.replace('{{.SandboxImage}}', 'localhost/kubernetes/pause').replace('{{.EnableCDI}}', 'true').replace('{{.RuntimeName}}', 'runc').replace('{{.RuntimeBinaryName}}', '/usr/sbin/runc')
write('eks-al2023', '/etc/containerd/config.toml', tmpl, 'amazon-eks-ami nodeadm/internal/containerd/config2.template.toml rendered as nodeadm does for containerd 2.x (no SOCI, runc, EnableCDI for kubelet 1.32+, the cached sandbox image localhost/kubernetes/pause)')

# ---------------------------------------------------------------- kind
for p in ['etc/containerd/config.toml', 'etc/systemd/system/containerd.service', 'etc/systemd/system/kubelet.service', 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 'etc/systemd/system/kubelet.service.d/11-kind.conf', 'etc/default/kubelet', 'etc/crictl.yaml']:
    write('kind', '/' + p, raw(KIND, 'images/base/files/' + p), f'kind images/base/files/{p} (verbatim)')

# ---------------------------------------------------------------- Flatcar sysext-bakery (fetched files: read_file ids recorded in SOURCES.md)
flatcar_containerd = """[Unit]
Description=containerd container runtime
After=network.target
[Service]
Delegate=yes
Environment=CONTAINERD_CONFIG=/usr/share/containerd/config.toml
ExecStart=/usr/bin/containerd --config ${CONTAINERD_CONFIG}
KillMode=process
Restart=always
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
[Install]
WantedBy=multi-user.target
"""
write('flatcar', '/usr/lib/systemd/system/containerd.service', flatcar_containerd, 'flatcar/sysext-bakery create_containerd_sysext.sh @9274cc4e (the containerd.service heredoc)')
flatcar_config = """version = 3
# set containerd's OOM score
oom_score = -999
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  SystemdCgroup = true
"""
write('flatcar', '/usr/share/containerd/config.toml', flatcar_config, 'flatcar/sysext-bakery create_containerd_sysext.sh @9274cc4e (the config.toml heredoc)')
write('flatcar', '/usr/share/containerd/config-cgroupfs.toml', flatcar_config.replace('SystemdCgroup = true', 'SystemdCgroup = false'), "flatcar/sysext-bakery create_containerd_sysext.sh @9274cc4e (the sed that writes config-cgroupfs.toml)")
write('flatcar', '/usr/lib/systemd/system/kubelet.service', """[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/home/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
""", 'flatcar/sysext-bakery create_kubernetes_sysext.sh @17815b69 (the kubelet.service heredoc)')
write('flatcar', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', """# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/sysconfig/kubelet
ExecStart=
ExecStartPre=/usr/bin/mkdir -p /opt/cni/bin
ExecStartPre=/usr/bin/cp -r /usr/local/bin/cni/. /opt/cni/bin/
ExecStartPre=/usr/bin/cp /usr/local/share/kubernetes-version /etc/kubernetes-version
ExecStartPre=/usr/bin/mkdir -p /var/kubernetes/kubelet-plugins/volume/exec/
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
""", 'flatcar/sysext-bakery create_kubernetes_sysext.sh @17815b69 (the 10-kubeadm.conf heredoc)')

# ---------------------------------------------------------------- image-builder (CAPI)
ib = dict(containerd_version='2.1.4', containerd_additional_settings='', containerd_image_pull_progress_timeout='', pause_image='registry.k8s.io/pause:3.10', kubernetes_semver='v1.33.4', containerd_wasm_shims_runtimes=[], containerd_gvisor_runtime=False, packer_builder_type='qemu', runtime_versions={}, sysusr_prefix='/usr')
write('image-builder', '/etc/containerd/config.toml', render(*IB, 'images/capi/ansible/roles/containerd/templates/etc/containerd/config.toml', ib), 'image-builder images/capi/ansible/roles/containerd/templates/etc/containerd/config.toml rendered with jinja2 (containerd 2.1.4, Kubernetes v1.33.4, qemu builder)')
write('image-builder', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', render(*IB, 'images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', ib), 'image-builder images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf rendered (sysusr_prefix /usr)')
write('image-builder', '/usr/lib/systemd/system/kubelet.service.d/11-resource-sizing.conf', render(*IB, 'images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service.d/11-resource-sizing.conf', ib), 'image-builder images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service.d/11-resource-sizing.conf rendered')
write('image-builder', '/usr/lib/systemd/system/kubelet.service', render(*IB, 'images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service', ib), 'image-builder images/capi/ansible/roles/kubernetes/templates/usr/lib/systemd/system/kubelet.service rendered')
write('image-builder', '/usr/lib/systemd/system/containerd.service', raw(CTRD, 'containerd.service'), 'containerd containerd.service (image-builder installs the upstream release tarball with its unit)')

# ---------------------------------------------------------------- kubeadm on Debian 12 (pkgs.k8s.io + Debian containerd 1.6.20)
write('kubeadm-debian', '/usr/lib/systemd/system/kubelet.service', raw(REL, 'cmd/krel/templates/latest/kubelet/kubelet.service'), 'kubernetes/release cmd/krel/templates/latest/kubelet/kubelet.service (what the pkgs.k8s.io kubelet package installs)')
write('kubeadm-debian', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', raw(REL, 'cmd/krel/templates/latest/kubeadm/10-kubeadm.conf').replace('/etc/sysconfig/kubelet', '/etc/default/kubelet'), "kubernetes/release cmd/krel/templates/latest/kubeadm/10-kubeadm.conf with the sed kubeadm.spec applies for .deb packages (/etc/sysconfig/kubelet to /etc/default/kubelet): what the pkgs.k8s.io kubeadm .deb installs")
write('kubeadm-debian', '/usr/lib/systemd/system/containerd.service', open('/lib/systemd/system/containerd.service').read(), "Debian 12 package containerd 1.6.20~ds1-1+deb12u3: /lib/systemd/system/containerd.service (the file on this build machine)")
dump = subprocess.run(['containerd', 'config', 'default'], check=True, capture_output=True, text=True).stdout
edited = dump.replace('SystemdCgroup = false', 'SystemdCgroup = true').replace('sandbox_image = "registry.k8s.io/pause:3.6"', 'sandbox_image = "registry.k8s.io/pause:3.10"')
assert edited != dump
write('kubeadm-debian', '/etc/containerd/config.toml', edited, "`containerd config default` of Debian's containerd 1.6.20, with the two edits kubernetes.io's container runtimes page gives (SystemdCgroup = true; sandbox_image to kubeadm's pause for 1.32)")
status = open('/var/lib/dpkg/status').read().split('\n\n')
ctrd = next(p for p in status if p.startswith('Package: containerd\n'))
kube = lambda name, desc: f"""Package: {name}
Status: install ok installed
Priority: optional
Section: misc
Installed-Size: 60000
Maintainer: Kubernetes Authors <dev@kubernetes.io>
Architecture: amd64
Version: 1.32.3-1.1
Depends: cri-tools (>= 1.32.0), kubernetes-cni (>= 1.2.0)
Description: {desc}
 The Kubernetes {name}.
Homepage: https://kubernetes.io"""
write('kubeadm-debian', '/var/lib/dpkg/status', '\n\n'.join([ctrd.strip(), kube('kubeadm', 'Command-line utility for administering a Kubernetes cluster'), kube('kubelet', 'Node agent for Kubernetes clusters')]) + '\n', "dpkg status: the containerd paragraph of this build machine's Debian 12 (containerd 1.6.20~ds1-1+deb12u3); kubeadm and kubelet 1.32.3-1.1 as pkgs.k8s.io names its packages")

for s in sources:
    print('\t'.join(s))
