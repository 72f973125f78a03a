/**
 * The versions of the node's Kubernetes and containerd packages, read offline
 * from the package database.
 *
 * Supported: dpkg (/var/lib/dpkg/status, a text file; Debian, Ubuntu and
 * their derivatives, and every node that installs pkgs.k8s.io's or Docker's
 * .deb packages).
 *
 * Not read: the rpm database. Every format rpm has used is binary: Berkeley
 * DB hash files (/var/lib/rpm/Packages: RHEL/CentOS 7 and 8, SLES before 15
 * SP4), SQLite (rpmdb.sqlite: RHEL 9, Fedora 33+) and NDB (Packages.db:
 * openSUSE, SLES 15 SP4+), each holding rpm's own binary header blobs. A
 * snapshot carries text files, and decoding those formats without running rpm
 * would mean a database engine in the checker. On those nodes the model
 * records which database is present, so the report can say why no package
 * version was found; the target comes from --kubernetes-version or the
 * checklist there.
 */
import { readText, exists } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import { DPKG_PRESENT_STATES, parseDpkgStatus, upstreamRelease } from '../parsers/dpkg-status.js';
import { fileInfo } from './file-info.js';
import type { InputRequest } from './inputs.js';
import type { InstalledPackage, PackagesModel } from './types.js';

/** dpkg's status database. */
export const DPKG_STATUS = '/var/lib/dpkg/status';

/** Where rpm keeps its database, per format (looked at only to say that it is not read). */
export const RPM_DATABASES = [
  '/var/lib/rpm/rpmdb.sqlite',
  '/var/lib/rpm/Packages',
  '/usr/lib/sysimage/rpm/rpmdb.sqlite',
  '/usr/lib/sysimage/rpm/Packages.db',
] as const;

/**
 * The packages whose versions the checks use: kubeadm and kubelet from
 * pkgs.k8s.io (and the old apt.kubernetes.io), containerd from Debian and
 * Ubuntu (`containerd`) or Docker (`containerd.io`).
 */
export const WATCHED_PACKAGES = ['kubeadm', 'kubelet', 'containerd', 'containerd.io'] as const;

/** What the package checks read. */
export function planPackageInputs(): InputRequest {
  return { read: [DPKG_STATUS], list: [], stat: [...RPM_DATABASES] };
}

/** The installed versions of the watched packages, with the line of the database that records them. */
export function buildPackages(snapshot: Snapshot): PackagesModel {
  const file = fileInfo(snapshot, DPKG_STATUS);
  const rpm = RPM_DATABASES.filter((p) => exists(snapshot, p) === true);
  const r = readText(snapshot, DPKG_STATUS);
  const installed: Record<string, InstalledPackage> = {};
  if (r.status === 'ok') {
    for (const e of parseDpkgStatus(r.text)) {
      const state = e.status.split(/\s+/)[2] ?? '';
      if (!(WATCHED_PACKAGES as readonly string[]).includes(e.package) || !DPKG_PRESENT_STATES.has(state)) continue;
      installed[e.package] = {
        name: e.package,
        version: e.version,
        release: upstreamRelease(e.version),
        state,
        source: { file: DPKG_STATUS, line: e.line, key: e.package },
      };
    }
  }
  return { database: r.status === 'ok' ? 'dpkg' : rpm.length > 0 ? 'rpm' : null, file, rpmDatabases: rpm, installed };
}
