import type { IncomingMessage } from 'node:http';
import type { RequestListener } from '../app/types.js';
import type { Settings } from '../settings/types.js';
import { rejectLargeBody } from './body-limit.js';
import { sendContinue } from './expect-continue.js';
import { headLimitsOf, headRejection } from './head-limits.js';
import { proxyHeaderCheck } from './proxy-headers.js';
import { rejectRequest } from './reject-request.js';

/**
 * What the front checks before the app sees a request, in Gunicorn's order: the head's limits
 * (414, 431), the proxy headers (removed from untrusted peers; 400 on disagreeing schemes), then
 * the body's size (413); only then is a client that expects `100 Continue` told to send its body.
 * A refused request is answered here and never reaches the app or its pre_request hook.
 * Everything is prepared once, so a request pays a few comparisons.
 */
export function gateRequests(handler: RequestListener, settings: Readonly<Settings>): RequestListener {
  const gateHead = headGate(settings);
  const bodyLimit = settings.limitRequestBody;
  return (req, res) => {
    const status = gateHead(req);
    if (status !== 0) {
      rejectRequest(res, status);
      return;
    }
    if (bodyLimit > 0 && rejectLargeBody(req, res, bodyLimit)) return;
    sendContinue(res);
    handler(req, res);
  };
}

/**
 * The head's part of the gate, shared with upgrade requests (upgrade-path.ts): the head's limits,
 * then the proxy headers (removed from untrusted peers). Returns 0 to let `req` through, or the
 * status to refuse it with.
 */
export function headGate(settings: Readonly<Settings>): (req: IncomingMessage) => number {
  const limits = headLimitsOf(settings);
  const checkProxyHeaders = proxyHeaderCheck(settings.forwardedAllowIps, settings.secureSchemeHeaders);
  return (req) => headRejection(req, limits) || checkProxyHeaders(req);
}
