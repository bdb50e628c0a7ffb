import { randomInt } from 'node:crypto';

/**
 * `max_requests`: after this many requests the worker restarts, which bounds what a leaky app can
 * grow to. The jitter spreads the restarts of workers that started together (Gunicorn's
 * `max_requests + randint(0, max_requests_jitter)`).
 */
export class RequestBudget {
  private readonly limit: number;
  private served = 0;
  private spent = false;

  constructor(maxRequests: number, jitter: number, private readonly onSpent: () => void) {
    this.limit = maxRequests > 0 ? maxRequests + (jitter > 0 ? randomInt(0, jitter + 1) : 0) : Infinity;
  }

  count(): void {
    this.served += 1;
    if (!this.spent && this.served >= this.limit) {
      this.spent = true;
      this.onSpent();
    }
  }
}
