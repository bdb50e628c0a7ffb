/**
 * The request-target node:http hands over in `req.url` (its bytes as latin1 characters), split the
 * way ASGI wants it: the path component without the query (`raw_path`), and the query without the
 * `?` (`query_string`). A fragment is no part of either (clients do not send one; where one comes,
 * it is dropped as uvicorn's default parser drops it). An absolute-form target
 * (`http://host/path?q`, RFC 9112 3.2.2) gives its path component.
 */
export interface RequestTarget {
  readonly rawPath: string;
  readonly query: string;
}

const SLASH = 0x2f;

/** Where the path of an absolute-form target starts (after `scheme://authority`), or 0. */
function pathStartOf(url: string): number {
  if (url.charCodeAt(0) === SLASH) return 0;
  const scheme = url.indexOf('://');
  if (scheme <= 0) return 0;
  for (let i = scheme + 3; i < url.length; i++) {
    const char = url[i];
    if (char === '/' || char === '?' || char === '#') return i;
  }
  return url.length;
}

export function splitTarget(url: string): RequestTarget {
  const start = pathStartOf(url);
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const question = url.indexOf('?', start);
  const pathEnd = question < 0 || question > end ? end : question;
  // An absolute-form target with no path (`http://host?q`) has the path "/" (RFC 9112 3.2.2).
  const rawPath = start > 0 && pathEnd === start ? '/' : url.slice(start, pathEnd);
  return { rawPath, query: pathEnd < end ? url.slice(pathEnd + 1, end) : '' };
}

/** A percent escape or a byte beyond ASCII: the path needs decoding. */
const NEEDS_DECODING = /[%\u0080-\u00ff]/;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * ASGI's `path`: the raw path with percent escapes decoded and the bytes read as UTF-8. Like
 * Python's `unquote` (uvicorn), it never fails: a malformed escape stays as it is, and bytes that
 * are not UTF-8 become U+FFFD.
 */
export function decodePath(rawPath: string): string {
  if (!NEEDS_DECODING.test(rawPath)) return rawPath;
  const bytes = Buffer.from(rawPath, 'latin1');
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1] as number);
      const low = hexValue(bytes[i + 2] as number);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return out.toString('utf8', 0, length);
}
