/** One frame of a stack read through the inspector, 1-based like Node's own stack traces. */
export interface StackFrame {
  /** Empty for an anonymous function or a module's top level. */
  readonly functionName: string;
  /** As V8 names the script: `file:///…` for ES modules, a path for CommonJS, `node:…` for Node's own. */
  readonly url: string;
  readonly line: number;
  readonly column: number;
}

/** More frames than this say nothing new and could split the record in a pipe (PIPE_BUF). */
export const MAX_FRAMES = 30;

/**
 * The frames as the lines of an `Error.stack` (`    at name (url:line:column)`), so that editors
 * and log tools that recognise Node's stacks recognise these too.
 */
export function formatStack(frames: readonly StackFrame[]): string {
  const shown = frames.slice(0, MAX_FRAMES).map(formatFrame);
  if (frames.length > MAX_FRAMES) shown.push(`    … ${frames.length - MAX_FRAMES} more frames`);
  return shown.join('\n');
}

function formatFrame(frame: StackFrame): string {
  const where = `${frame.url || '<anonymous>'}:${frame.line}:${frame.column}`;
  return frame.functionName ? `    at ${frame.functionName} (${where})` : `    at ${where}`;
}
