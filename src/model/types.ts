/**
 * The NodeModel: the normalized, version-neutral view of a node that rules read.
 * It is plain JSON data (its shape is published as `schemas/node-model.schema.json`)
 * so that custom rules can target any part of it with a JSON Schema.
 */
import type { JoinModel } from './join.js';
import type { CollectionLimit } from '../snapshot/types.js';
import type { ContainerdModel } from './types/containerd.js';
import type { CrictlModel } from './types/crictl.js';
import type { HostModel } from './types/host.js';
import type { KubeletModel } from './types/kubelet.js';
import type { LiveModel } from './types/live.js';
import type { PackagesModel } from './types/packages.js';
import type { SiteModel } from './types/site.js';
import type { SystemdModel } from './types/systemd.js';

// The parts of the model live in ./types/ by concern; everything stays importable from here.
export type { Source, FileState, FileInfo, Sourced } from './types/common.js';
export type { CrictlModel } from './types/crictl.js';
export type { KubeletFlagUse, KubeletConfigFile, KubeletModel } from './types/kubelet.js';
export type { PersistedSysctl, BinaryLookup, HostModel } from './types/host.js';
export type {
  ContainerdFile,
  ContainerdImport,
  ContainerdPlacement,
  ContainerdKeyProblem,
  ContainerdRuntime,
  ContainerdRegistryHost,
  ContainerdHostsDir,
  ContainerdCertFile,
  ContainerdModel,
} from './types/containerd.js';
export type {
  EnvOrigin,
  EnvVar,
  ConfigProblem,
  StartFailure,
  EnvironmentFileEntry,
  UnitCommand,
  CommandWord,
  ExecCommand,
  SystemdUnit,
  LoginVar,
  SystemdModel,
} from './types/systemd.js';
export type { InstalledPackage, PackagesModel } from './types/packages.js';
export type { SiteCertificate, SiteFile, SiteSysctl, SiteKernelModule, SiteSystemdUnit, SiteModel } from './types/site.js';
export type { LiveModel, LiveSystemd, ProbeOutcome, ContainerdFacts } from './types/live.js';
export type { JoinModel } from './join.js';
export type { KernelModel } from './kernel.js';

/** The whole normalized node. */
export interface NodeModel {
  schemaVersion: 1;
  /** The root the node was read from. */
  root: string;
  /** Whether live probes were part of the snapshot. */
  online: boolean;
  host: HostModel;
  crictl: CrictlModel;
  kubelet: KubeletModel;
  /** containerd's effective configuration (its built-in defaults when there is no config file). */
  containerd: ContainerdModel;
  /** containerd.service and kubelet.service as systemd loads them, and the login environment. */
  systemd: SystemdModel;
  /** The node as `kubeadm join` finds it: static Pod manifests, CRI sockets, kubelet.service enablement, CNI configuration. */
  join: JoinModel;
  /** Installed versions of kubeadm, kubelet and containerd from the package database. */
  packages: PackagesModel;
  /** What the live probes of `--online` saw (from `snapshot.commands`); null offline. */
  live: LiveModel | null;
  /** What the checklist's site checks name: files, sysctls, kernel modules and units (empty without site checks). */
  site: SiteModel;
  /** Whether everything the checks needed was read: the limits the collection reached (none: complete). */
  collection: CollectionModel;
}

/** The limits a collection reached: what was not read, and why (`host/collection-complete`). */
export interface CollectionModel {
  complete: boolean;
  limits: CollectionLimit[];
}
