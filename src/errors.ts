/** Why the tool could not evaluate a node (exit code 2); node state is never one of these. */
export type ErrorCode = 'usage' | 'checklist-invalid' | 'snapshot-invalid' | 'root-unreadable' | 'output-failed' | 'internal';

/**
 * A failure of the tool or its input, as opposed to a finding about the node.
 * `problems` holds one line per problem (e.g. one per invalid checklist key).
 */
export class PreflightError extends Error {
  readonly code: ErrorCode;
  readonly problems: string[];

  constructor(code: ErrorCode, message: string, options: { problems?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PreflightError';
    this.code = code;
    this.problems = options.problems ?? [];
  }
}
