/** One package of a dpkg status file: name, version and dpkg state (installed by default). */
export type DpkgPackage = [name: string, version: string, state?: string];

/**
 * A /var/lib/dpkg/status as dpkg writes it: one paragraph per package, the
 * fields in dpkg's order, a multi-line Description (continuation lines start
 * with a blank). Packages other than the ones a test names surround them, as
 * on a real node.
 */
export function dpkgStatus(...packages: DpkgPackage[]): string {
  const all: DpkgPackage[] = [['adduser', '3.134'], ...packages, ['zlib1g', '1:1.2.13.dfsg-1']];
  return all
    .map(([name, version, state = 'installed']) =>
      [
        `Package: ${name}`,
        `Status: ${state === 'config-files' ? 'deinstall' : 'install'} ok ${state}`,
        'Priority: optional',
        'Section: admin',
        'Installed-Size: 1024',
        'Maintainer: Example <pkg@example.invalid>',
        'Architecture: amd64',
        `Version: ${version}`,
        `Description: ${name}`,
        ' A package of the test node.',
        ' .',
        ' Its description goes on.',
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}
