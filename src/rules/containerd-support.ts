import type { ContainerdModel, ContainerdPlacement, Source } from '../model/types.js';
import type { Evidence, RuleContext } from './types.js';
import { where } from './helpers.js';

/** The containerd model. */
export function containerdOf(ctx: RuleContext): ContainerdModel {
  return ctx.model.containerd;
}

/** The release the model follows, for messages: "containerd 1.7". */
export function release(ctx: RuleContext): string {
  return `containerd ${containerdOf(ctx).semantics.version}`;
}

/**
 * Why the effective configuration cannot be judged: a file containerd would
 * load does not parse or cannot be read, so containerd does not start and no
 * setting is in effect. Rules about settings then defer to config-parses.
 */
export function settingsUnknown(ctx: RuleContext): string | undefined {
  const broken = containerdOf(ctx).files.find((f) => f.state === 'invalid' || f.state === 'unreadable');
  return broken ? `containerd cannot use ${broken.path}, so no setting is in effect (see containerd/config-parses)` : undefined;
}

/** Why rules about the files as written cannot judge the node: no configuration file was read. */
export function noConfigRead(ctx: RuleContext): string | undefined {
  return containerdOf(ctx).files.every((f) => f.state !== 'ok') ? 'containerd reads no configuration file here' : undefined;
}

/** A runtime's declaration for messages: "declared at file:line" or containerd's built-in one. */
export function declared(source: Source, ctx: RuleContext): string {
  if (source.file && source.default) return where(source);
  return source.file ? `declared at ${where(source)}` : `the built-in one of ${release(ctx)}`;
}

/** Evidence and a "file:line" for a placement. */
export function placementAt(p: ContainerdPlacement): { evidence: Evidence; where: string } {
  return { evidence: { file: p.file, line: p.line, path: p.key }, where: `${p.file}:${p.line}` };
}

/** runc shim types: the handlers whose options runc reads. */
export const RUNC_TYPES = ['io.containerd.runc.v2', 'io.containerd.runc.v1'];

/**
 * The fix for a value that fell back to a built-in default because a 1.x
 * import replaced the table that set it: the import is what to change.
 */
export function droppedFix(source: Source): { fix: string } | Record<string, never> {
  if (!source.file || !source.default) return {};
  return {
    fix: `Write the value in ${source.file} too (its [${source.key!}] table replaces the main file's whole table on containerd 1.x), or move that file's settings into the main file.`,
  };
}
