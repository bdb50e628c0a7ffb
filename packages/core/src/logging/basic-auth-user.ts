const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The user name of an `Authorization: Basic` header, as Gunicorn's `_get_user`: the part before the
 * first `:` of the decoded credentials, or null when the header is absent, not Basic, malformed or
 * names an empty user.
 */
export function basicAuthUser(authorization: string | undefined): string | null {
  if (authorization?.slice(0, 5).toLowerCase() !== 'basic') return null;
  const separator = authorization.indexOf(' ');
  if (separator === -1) return null;
  let credentials: string;
  try {
    credentials = strictUtf8.decode(Buffer.from(authorization.slice(separator + 1).trim(), 'base64'));
  } catch {
    return null;
  }
  const colon = credentials.indexOf(':');
  // An empty user name counts as none: Gunicorn's `_get_user(environ) or '-'`.
  return colon <= 0 ? null : credentials.slice(0, colon);
}
