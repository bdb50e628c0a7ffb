/**
 * A fetch-style app broke the contract (returned no Response, sent data a WebSocket cannot
 * carry, …). The message says what the app did and what was expected; the bridge logs it as the
 * app's error.
 */
export class FetchAppError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FetchAppError';
  }
}
