// PLACEHOLDER until the WebSocket protocol lands (this session).
import type { StopCause, UpgradeHandler } from '@gu/core';
import type { BridgeContext } from '../bridge-context.js';
import type { AsgiApp } from '../types.js';

export class WebSocketBridge {
  constructor(readonly app: AsgiApp, readonly bridge: BridgeContext) {}

  readonly upgrade: UpgradeHandler = (_req, socket) => {
    socket.destroy();
  };

  drain(_cause: StopCause): void {}
}
