/** A containerd 2.x (version 3) configuration with the settings the checklist's defaults expect. */
export const V3_GOOD = `version = 3
[plugins.'io.containerd.cri.v1.images'.pinned_images]
  sandbox = 'registry.k8s.io/pause:3.10.2'
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  SystemdCgroup = true
`;

/** A containerd 1.x (version 2) configuration with the settings the checklist's defaults expect. */
export const V2_GOOD = `version = 2
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10.2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = true
`;

/** containerd's main configuration file. */
export const CONFIG = '/etc/containerd/config.toml';
