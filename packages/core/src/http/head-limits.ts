import type { IncomingMessage } from 'node:http';
import type { Settings } from '../settings/types.js';

/** Gunicorn's limits on a request head; a line limit of 0 is unlimited, nothing else ever is. */
export interface HeadLimits {
  readonly line: number;
  readonly fields: number;
  readonly fieldSize: number;
}

/** Gunicorn's ceilings: a request line above 8190 bytes, or more than 32768 fields, is never accepted. */
export const MAX_REQUEST_LINE = 8190;
export const MAX_HEADER_FIELDS = 32768;
/** What a `limit_request_field_size` of 0 stands for: Gunicorn 26 reads 0 as its default, not unlimited. */
export const DEFAULT_FIELD_SIZE = 8190;

/**
 * The limits the settings give, read as Gunicorn reads them: a request line limit above the ceiling
 * is the ceiling (0 stays unlimited), a field count of 0 or above the ceiling is the ceiling, and a
 * field size of 0 is the default 8190 (Gunicorn's corpus case `limit_header_default_01`).
 */
export function headLimitsOf(settings: Readonly<Settings>): HeadLimits {
  const { limitRequestLine: line, limitRequestFields: fields } = settings;
  return {
    line: Math.min(line, MAX_REQUEST_LINE),
    fields: fields === 0 || fields > MAX_HEADER_FIELDS ? MAX_HEADER_FIELDS : fields,
    fieldSize: settings.limitRequestFieldSize === 0 ? DEFAULT_FIELD_SIZE : settings.limitRequestFieldSize,
  };
}

/**
 * The request line's length without its CRLF, as Gunicorn measures it. llhttp (strict) accepts only
 * `METHOD SP target SP HTTP/x.y`, and node gives the target byte for byte (latin1), so the line is
 * rebuilt exactly from what was parsed.
 */
function requestLineLength(req: IncomingMessage): number {
  return (req.method?.length ?? 0) + (req.url?.length ?? 0) + 7 + req.httpVersion.length;
}

/**
 * 414 when the request line is longer than `limit_request_line`, 431 when there are more fields
 * than `limit_request_fields` or one field is larger than `limit_request_field_size`, else 0. A
 * field counts as Gunicorn counts it, `Name: value` and its CRLF (node has trimmed the value's
 * surrounding whitespace; it counts as the one space usually sent).
 */
export function headRejection(req: IncomingMessage, limits: HeadLimits): number {
  if (limits.line > 0 && requestLineLength(req) > limits.line) return 414;
  const raw = req.rawHeaders;
  if (raw.length > limits.fields * 2) return 431;
  const most = limits.fieldSize - 4;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i]?.length ?? 0) + (raw[i + 1]?.length ?? 0) > most) return 431;
  }
  return 0;
}
