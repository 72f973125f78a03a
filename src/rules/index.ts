// The rule catalogue: one static import per rule file, sorted by id.
// Adding a rule touches its file, its test, its fixtures and one line here.
import type { Rule } from './types.js';
import containerdConfigParses from './containerd/config-parses.js';
import containerdConfigPresent from './containerd/config-present.js';
import containerdConfigVersion from './containerd/config-version.js';
import containerdCriEnabled from './containerd/cri-enabled.js';
import containerdDefaultRuntimeDefined from './containerd/default-runtime-defined.js';
import containerdGrpcAddress from './containerd/grpc-address.js';
import containerdHostsTomlParses from './containerd/hosts-toml-parses.js';
import containerdImportsResolve from './containerd/imports-resolve.js';
import containerdKnownKeys from './containerd/known-keys.js';
import containerdNoLegacySystemdCgroup from './containerd/no-legacy-systemd-cgroup.js';
import containerdRegistryCaPresent from './containerd/registry-ca-present.js';
import containerdRegistryConfigPath from './containerd/registry-config-path.js';
import containerdRegistryMirrors from './containerd/registry-mirrors.js';
import containerdRegistryNoPlaintextCredentials from './containerd/registry-no-plaintext-credentials.js';
import containerdRegistryTlsVerify from './containerd/registry-tls-verify.js';
import containerdRuntimeType from './containerd/runtime-type.js';
import containerdSandboxImage from './containerd/sandbox-image.js';
import containerdSystemdCgroup from './containerd/systemd-cgroup.js';
import crictlConfigParses from './crictl/config-parses.js';
import crictlConfigPresent from './crictl/config-present.js';
import crictlEndpointsMatchRuntime from './crictl/endpoints-match-runtime.js';
import hostBrNetfilter from './host/br-netfilter.js';
import hostCgroupV2 from './host/cgroup-v2.js';
import hostCniPlugins from './host/cni-plugins.js';
import hostCollectionComplete from './host/collection-complete.js';
import hostComponentVersions from './host/component-versions.js';
import hostHostname from './host/hostname.js';
import hostIpForward from './host/ip-forward.js';
import hostIpv6Forward from './host/ipv6-forward.js';
import hostKernelConfig from './host/kernel-config.js';
import hostRequiredBinaries from './host/required-binaries.js';
import hostResolvConf from './host/resolv-conf.js';
import hostSingleCriSocket from './host/single-cri-socket.js';
import hostSwapOff from './host/swap-off.js';
import kubeletNoLeftoverManifests from './kubelet/no-leftover-manifests.js';
import kubeletNoPreviousJoin from './kubelet/no-previous-join.js';
import kubeletNoRemovedFlags from './kubelet/no-removed-flags.js';
import kubeletRuntimeEndpoint from './kubelet/runtime-endpoint.js';
import runtimeClockSynced from './runtime/clock-synced.js';
import runtimeConfigApplied from './runtime/config-applied.js';
import runtimeContainerdActive from './runtime/containerd-active.js';
import runtimeCriReady from './runtime/cri-ready.js';
import runtimeCriticalImagesPullable from './runtime/critical-images-pullable.js';
import runtimePort10250Free from './runtime/port-10250-free.js';
import runtimeProxyReachable from './runtime/proxy-reachable.js';
import runtimeRegistriesResolve from './runtime/registries-resolve.js';
import runtimeSocketResponds from './runtime/socket-responds.js';
import systemdContainerdUnit from './systemd/containerd-unit.js';
import systemdDropInsAllowed from './systemd/drop-ins-allowed.js';
import systemdEnvironmentFilesExist from './systemd/environment-files-exist.js';
import systemdKubeletEnabled from './systemd/kubelet-enabled.js';
import systemdKubeletUnit from './systemd/kubelet-unit.js';
import systemdNoProxyCoverage from './systemd/no-proxy-coverage.js';
import systemdProxyConsistency from './systemd/proxy-consistency.js';
import systemdProxyPolicy from './systemd/proxy-policy.js';
import systemdShellEnvDivergence from './systemd/shell-env-divergence.js';
import systemdUnitSyntax from './systemd/unit-syntax.js';

/** Every built-in rule, sorted by id. */
export const RULES: readonly Rule[] = Object.freeze([
  containerdConfigParses,
  containerdConfigPresent,
  containerdConfigVersion,
  containerdCriEnabled,
  containerdDefaultRuntimeDefined,
  containerdGrpcAddress,
  containerdHostsTomlParses,
  containerdImportsResolve,
  containerdKnownKeys,
  containerdNoLegacySystemdCgroup,
  containerdRegistryCaPresent,
  containerdRegistryConfigPath,
  containerdRegistryMirrors,
  containerdRegistryNoPlaintextCredentials,
  containerdRegistryTlsVerify,
  containerdRuntimeType,
  containerdSandboxImage,
  containerdSystemdCgroup,
  crictlConfigParses,
  crictlConfigPresent,
  crictlEndpointsMatchRuntime,
  hostBrNetfilter,
  hostCgroupV2,
  hostCniPlugins,
  hostCollectionComplete,
  hostComponentVersions,
  hostHostname,
  hostIpForward,
  hostIpv6Forward,
  hostKernelConfig,
  hostRequiredBinaries,
  hostResolvConf,
  hostSingleCriSocket,
  hostSwapOff,
  kubeletNoLeftoverManifests,
  kubeletNoPreviousJoin,
  kubeletNoRemovedFlags,
  kubeletRuntimeEndpoint,
  runtimeClockSynced,
  runtimeConfigApplied,
  runtimeContainerdActive,
  runtimeCriReady,
  runtimeCriticalImagesPullable,
  runtimePort10250Free,
  runtimeProxyReachable,
  runtimeRegistriesResolve,
  runtimeSocketResponds,
  systemdContainerdUnit,
  systemdDropInsAllowed,
  systemdEnvironmentFilesExist,
  systemdKubeletEnabled,
  systemdKubeletUnit,
  systemdNoProxyCoverage,
  systemdProxyConsistency,
  systemdProxyPolicy,
  systemdShellEnvDivergence,
  systemdUnitSyntax,
]);
