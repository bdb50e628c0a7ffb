// PLACEHOLDER until the HTTP protocol lands (this session).
import type { RequestListener } from '@gu/core';
import type { BridgeContext } from '../bridge-context.js';
import type { AsgiApp } from '../types.js';

export function httpBridge(_app: AsgiApp, _bridge: BridgeContext): RequestListener {
  return (_req, res) => {
    res.statusCode = 501;
    res.end();
  };
}
