/** Planning the collection of the systemd model's inputs: the first round, before anything is known. */
import { unitNameParts } from '../../parsers/systemd-specifiers.js';
import type { InputRequest } from '../inputs.js';
import { SYSTEM_CONF, SYSTEM_CONF_D } from './environment.js';
import { DATA_DIR, dropInNames, LEGACY_DATA_DIR, UNIT_SEARCH_PATH } from './lookup.js';

/** Where unit files and drop-ins usually are: the administrator's and the packages' directories. */
export const LIKELY_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
/** The drop-in every kubeadm node has (the kubeadm package's), read at once so a plain node needs no further round. */
export const LIKELY_DROP_INS = ['kubelet.service.d/10-kubeadm.conf'];

/**
 * The first round, before anything is known: what every build reads (the unit
 * search path and what decides /lib, system.conf and its drop-ins, the login
 * files), and where packages and administrators put these units and their
 * drop-ins. Planning takes a round per step (listing → unit file → drop-ins →
 * environment files); asking for the likely places at once skips two, and
 * nothing is built from an empty snapshot.
 */
export function firstRound(units: readonly string[]): InputRequest {
  const prefixes = (path: string): string[] =>
    path
      .split('/')
      .slice(1)
      .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);
  const read = ['/etc/environment'];
  const list = [...UNIT_SEARCH_PATH, ...SYSTEM_CONF_D, '/etc/profile.d'];
  for (const dir of LIKELY_DIRS) {
    read.push(...LIKELY_DROP_INS.map((d) => `${dir}/${d}`));
    for (const unit of units) {
      read.push(`${dir}/${unit}`);
      list.push(...dropInNames(unit).map((n) => `${dir}/${n}.d`), `${dir}/${unitNameParts(unit).type}.d`);
    }
  }
  return { read, list, stat: [...prefixes(LEGACY_DATA_DIR), ...prefixes(DATA_DIR), ...SYSTEM_CONF] };
}
