import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.js';
import type { Hooks, WorkerInfo } from '../hooks/server-hooks.js';
import { runHook } from '../hooks/run-hook.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps `handler` with the pre_request and post_request hooks, for every worker class (the front
 * calls it). pre_request runs before the app and may be async; if it throws, the request fails as if
 * the app had thrown (a 500). post_request runs once the response is done, and what it throws is
 * logged. Without either hook, `handler` is returned as it is: the per-request path pays nothing.
 */
export function withRequestHooks(handler: Handler, hooks: Hooks, worker: WorkerInfo, log: Logger): Handler {
  const { preRequest, postRequest } = hooks;
  if (!preRequest && !postRequest) return handler;
  return (req, res) => {
    if (postRequest) {
      res.once('close', () => void runHook(log, hooks, 'postRequest', [worker, req, res], 0));
    }
    if (!preRequest) return handler(req, res);
    const before = preRequest(worker, req);
    return before instanceof Promise ? before.then(() => handler(req, res)) : handler(req, res);
  };
}
