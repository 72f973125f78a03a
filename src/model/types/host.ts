/** The host part of the NodeModel (src/model/types.ts): swap, sysctls, modules, binaries, DNS, cgroups, kernel. */
import type { KernelModel } from '../kernel.js';
import type { FileInfo, Sourced } from './common.js';

/** A sysctl value persisted in sysctl.d or /etc/sysctl.conf, after precedence. */
export interface PersistedSysctl {
  value: string;
  file: string;
  line: number;
}

/** A binary looked up on the standard PATH under the root. */
export interface BinaryLookup {
  name: string;
  /** Absolute node path where it was found, or null. */
  path: string | null;
}

/** Host basics. */
export interface HostModel {
  /** The node's hostname (live /proc value, else /etc/hostname), or null when unknown. */
  hostname: Sourced<string> | null;
  /** Whether /proc/sys exists under the root; a mounted image has no live kernel state. */
  procAvailable: boolean;
  swap: {
    /** Active swap areas, or null when /proc/swaps is not available. */
    active: { filename: string; type: string }[] | null;
    /** Swap entries of /etc/fstab. */
    fstab: { spec: string; noauto: boolean; file: string; line: number }[];
  };
  sysctl: {
    /** Current kernel values read from /proc/sys (null when not available). */
    live: Record<string, string | null>;
    /** Values persisted for boot, after sysctl.d precedence (last assignment wins). */
    persisted: Record<string, PersistedSysctl>;
  };
  modules: {
    /**
     * Loaded modules from /proc/modules, plus watched modules present under
     * /sys/module (built-in ones); null when neither is available.
     */
    loaded: string[] | null;
    /** Modules configured to load at boot. */
    persisted: { name: string; file: string; line: number }[];
  };
  binaries: BinaryLookup[];
  resolvConf: {
    file: FileInfo;
    /** Raw symlink target of /etc/resolv.conf, when it is a symlink. */
    link: string | null;
    nameservers: string[];
    search: string[];
    /** Whether it is systemd-resolved's stub (127.0.0.53 or stub-resolv.conf). */
    resolvedStub: boolean;
  };
  cgroup: {
    /** 2 for the unified hierarchy, 1 for legacy or hybrid, null when /sys/fs/cgroup is absent. */
    version: 1 | 2 | null;
  };
  /** The kernel release and configuration kubeadm's SystemVerification reads. */
  kernel: KernelModel;
}
