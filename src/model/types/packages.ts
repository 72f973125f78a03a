/** The package database's part of the NodeModel (src/model/types.ts). */
import type { FileInfo, Source } from './common.js';

/** A package of the package database, as installed. */
export interface InstalledPackage {
  name: string;
  /** The full package version ("1.32.3-1.1", "1.6.20~ds1-1+deb12u3"). */
  version: string;
  /** Its upstream release number ("1.32.3", "1.6.20"), null when it has none. */
  release: string | null;
  /** dpkg's state (`installed`, or a state in which the files are on disk but not configured). */
  state: string;
  /** The database and the line of the package's record. */
  source: Source;
}

/** The node's package database, as far as the checks read it (see src/model/packages.ts for what is supported). */
export interface PackagesModel {
  /** The database the versions were read from: dpkg; rpm when only an rpm database exists (it is not read); null when neither. */
  database: 'dpkg' | 'rpm' | null;
  /** /var/lib/dpkg/status. */
  file: FileInfo;
  /** rpm databases present on the node (binary; not read). */
  rpmDatabases: string[];
  /** kubeadm, kubelet, containerd and containerd.io, when their files are on disk. */
  installed: Record<string, InstalledPackage>;
}
