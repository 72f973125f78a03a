/**
 * dpkg's database of installed packages, /var/lib/dpkg/status (deb822
 * paragraphs, deb-control(5) and dpkg's lib/dpkg/parse.c): one paragraph per
 * package, `Field: value` lines, continuation lines start with a blank,
 * paragraphs are separated by empty lines.
 */

/** One package paragraph: the fields this checker reads, and where the paragraph starts. */
export interface DpkgEntry {
  package: string;
  /** `Status:` words: want, error flag, state (`installed`, `config-files`, …). */
  status: string;
  version: string;
  architecture: string | null;
  /** 1-based line of the paragraph's `Package:` field. */
  line: number;
}

const FIELDS = new Set(['package', 'status', 'version', 'architecture']);

/** The package paragraphs of a dpkg status file; paragraphs without Package or Version are skipped. */
export function parseDpkgStatus(text: string): DpkgEntry[] {
  const out: DpkgEntry[] = [];
  let fields = new Map<string, { value: string; line: number }>();
  const flush = (): void => {
    const pkg = fields.get('package');
    const version = fields.get('version');
    if (pkg && version) {
      out.push({
        package: pkg.value,
        status: fields.get('status')?.value ?? '',
        version: version.value,
        architecture: fields.get('architecture')?.value ?? null,
        line: pkg.line,
      });
    }
    fields = new Map();
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return flush();
    // Continuation lines belong to multi-line fields (Description, Conffiles), which are not read.
    if (line.startsWith(' ') || line.startsWith('\t')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const name = line.slice(0, colon).toLowerCase();
    // Field names are case-insensitive; the first occurrence in a paragraph counts.
    if (FIELDS.has(name) && !fields.has(name)) fields.set(name, { value: line.slice(colon + 1).trim(), line: i + 1 });
  });
  flush();
  return out;
}

/**
 * The upstream part of a Debian version (deb-version(7): `[epoch:]upstream[-revision]`)
 * as a release number: "1:1.32.3-1.1" → "1.32.3", "1.6.20~ds1-1+deb12u3" → "1.6.20".
 * Null when the upstream version does not start with a release number.
 */
export function upstreamRelease(version: string): string | null {
  const noEpoch = version.replace(/^[0-9]+:/, '');
  return /^v?([0-9]+\.[0-9]+(?:\.[0-9]+)?)/.exec(noEpoch)?.[1] ?? null;
}

/** dpkg states in which the package's files are on disk (not `not-installed` or `config-files`). */
export const DPKG_PRESENT_STATES: ReadonlySet<string> = new Set(['installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);
