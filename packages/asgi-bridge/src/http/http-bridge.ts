import type { RequestListener } from '@gu/core';
import type { BridgeContext } from '../bridge-context.js';
import type { AsgiApp } from '../types.js';
import { HttpExchange, type ExchangeDeps } from './exchange.js';
import { HttpScopeBuilder } from './scope.js';

/**
 * The request handler core's HTTP front calls for every request of an `asgi` worker: each request
 * becomes an `http` scope and an exchange that runs the app (see exchange.ts). The front has done
 * its checks by then (limits, proxy headers, a chunked body held until valid); whatever the app does,
 * the handler itself never throws: the exchange answers failures, so the front's own 500 never runs.
 */
export function httpBridge(app: AsgiApp, bridge: BridgeContext): RequestListener {
  const scopes = new HttpScopeBuilder(bridge.settings, bridge.state);
  const deps: ExchangeDeps = { app, log: bridge.log };
  return (req, res) => {
    const scope = scopes.build(req);
    void new HttpExchange(req, res, scope, scopes.facts.hasBody, deps).run();
  };
}
