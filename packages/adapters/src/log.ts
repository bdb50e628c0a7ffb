import type { AdapterLog } from './types.js';

/** Without gu (an adapter used on its own), what the app logs goes where Node would print it. */
export const consoleLog: AdapterLog = {
  info: (message) => { console.info(message); },
  warning: (message) => { console.warn(message); },
  error: (message) => { console.error(message); },
  exception: (message, error) => { console.error(message, error); },
};

/**
 * The log an adapted app reports to. An app wrapped by the user (`export default koa(app)`) is
 * adapted before gu has a log to give; gu hands its own over when it loads the app (see adapt.ts).
 */
export class LogTarget implements AdapterLog {
  constructor(private current: AdapterLog = consoleLog) {}

  use(log: AdapterLog): void {
    this.current = log;
  }

  info(message: string): void {
    this.current.info(message);
  }
  warning(message: string): void {
    this.current.warning(message);
  }
  error(message: string): void {
    this.current.error(message);
  }
  exception(message: string, error: unknown): void {
    this.current.exception(message, error);
  }
}
