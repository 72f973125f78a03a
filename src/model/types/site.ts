/** What the checklist's site checks read, as part of the NodeModel (src/model/types.ts). */
import type { PersistedSysctl } from './host.js';

/** A certificate block of a file a site check reads. */
export interface SiteCertificate {
  /** 1-based line of the `-----BEGIN CERTIFICATE-----` armour. */
  line: number;
  /** Start of validity (ISO 8601, UTC), from the certificate; null when the block does not decode. */
  notBefore: string | null;
  /** End of validity (ISO 8601, UTC), from the certificate; null when the block does not decode. */
  notAfter: string | null;
  /** The subject's common name (CN), null when it has none. */
  subject: string | null;
  /** Why the block is not an X.509 certificate, when it is not. */
  error?: string;
}

/** A path a site check of the checklist names (`site.files`), as the collector found it under the root. */
export interface SiteFile {
  /** What the path is after following symlinks inside the root; `not-collected` when nothing read it. */
  type: 'file' | 'directory' | 'missing' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'error' | 'not-collected';
  /** Raw symlink target when the path itself is a symlink. */
  link: string | null;
  /** Permission bits as four octal digits (`0644`), from stat; null when unknown. */
  mode: string | null;
  /** Owner id from stat; null when unknown (a snapshot gathered by a tool that does not record it). */
  uid: number | null;
  /** Group id from stat; null when unknown. */
  gid: number | null;
  /** The owner's name in the node's /etc/passwd (not the checking machine's); null when not listed there. */
  owner: string | null;
  /** The group's name in the node's /etc/group; null when not listed there. */
  group: string | null;
  /** Why the path could not be looked at or read (errno and words), null when it could. */
  error: string | null;
  /** The file's text when a check reads it (`contains`, `notContains`, `certificate`), with secrets replaced at collection; null otherwise. */
  text: string | null;
  /** The PEM certificate blocks of the text, in file order. */
  certificates: SiteCertificate[];
}

/** A kernel setting a site check names (`site.sysctls`). */
export interface SiteSysctl {
  /** The value in /proc/sys now, blanks collapsed; null when /proc/sys has no such key or is not there (a mounted image). */
  live: string | null;
  /** The value set for boot by sysctl.d or /etc/sysctl.conf, after precedence; null when none sets it. */
  persisted: PersistedSysctl | null;
  /** false when the snapshot was taken without this check, so nothing here can be judged. */
  collected: boolean;
}

/** A kernel module a site check names (`site.kernelModules`). */
export interface SiteKernelModule {
  /** In /proc/modules or /sys/module now; null when neither is there (a mounted image). */
  loaded: boolean | null;
  /** Built into the kernel: under /sys/module but not in /proc/modules, so present at every boot. */
  builtin: boolean;
  /** The modules-load.d or /etc/modules line that loads it at boot; null when none does. */
  persisted: { file: string; line: number } | null;
  /** false when the snapshot was taken without this check, so nothing here can be judged. */
  collected: boolean;
}

/** A systemd unit a site check names (`site.systemdUnits`); its files and environment are under /systemd/units. */
export interface SiteSystemdUnit {
  /** What `systemctl is-enabled` says, from the unit's [Install] section and the links in /etc and /run (systemd 252 install.c). */
  enablement: 'enabled' | 'enabled-runtime' | 'disabled' | 'static' | 'indirect' | 'masked' | 'not-found';
  /** The links that enable it (`.wants`/`.requires`/`.upholds` entries and alias links). */
  links: string[];
  /** false when the snapshot lacks files the unit's model or enablement needs (taken without this check). */
  collected: boolean;
}

/** What the checklist's site checks read; empty without site checks. */
export interface SiteModel {
  /** By absolute node path. */
  files: Record<string, SiteFile>;
  /** By key, as the checklist writes it. */
  sysctls: Record<string, SiteSysctl>;
  /** By module name, as the checklist writes it. */
  kernelModules: Record<string, SiteKernelModule>;
  /** By unit name. */
  systemdUnits: Record<string, SiteSystemdUnit>;
}
