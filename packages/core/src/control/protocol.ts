import { GuError, type GuErrorCode } from '../errors.js';

/**
 * The control socket's wire protocol: JSON lines. Each request is one line holding
 * `{"command": "...", "args": [...]}`; each gets one answer line, `{"ok": true, "result": ...}` or
 * `{"ok": false, "error": {"code": "GU_ERR_…", "message": "…"}}`.
 */
export interface ControlRequest {
  readonly command: string;
  readonly args: readonly string[];
}

export type ControlAnswer =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly code: GuErrorCode; readonly message: string } };

/** A request line longer than this is refused and the connection closed: no request needs more. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Parses one request line; throws a GuError (GU_ERR_CTL_REQUEST) saying what is wrong with it. */
export function parseRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new GuError('GU_ERR_CTL_REQUEST', 'request: not JSON (expected {"command": "...", "args": [...]} on one line)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GuError('GU_ERR_CTL_REQUEST', 'request: not a JSON object (expected {"command": "...", "args": [...]})');
  }
  const { command, args = [] } = value as { command?: unknown; args?: unknown };
  if (typeof command !== 'string' || command === '') {
    throw new GuError('GU_ERR_CTL_REQUEST', 'request: "command" is missing or not a string');
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string' || typeof arg === 'number')) {
    throw new GuError('GU_ERR_CTL_REQUEST', 'request: "args" must be a list of strings');
  }
  return { command, args: args.map(String) };
}

/** The answer line for a result, or for an error (a GuError keeps its code; anything else is internal). */
export function answerLine(outcome: { result: unknown } | { error: unknown }): string {
  const answer: ControlAnswer = 'result' in outcome ? { ok: true, result: outcome.result } : { ok: false, error: errorOf(outcome.error) };
  return `${JSON.stringify(answer)}\n`;
}

function errorOf(error: unknown): { code: GuErrorCode; message: string } {
  if (error instanceof GuError) return { code: error.code, message: error.message };
  return { code: 'GU_ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
