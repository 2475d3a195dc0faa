/**
 * Remembers signature nonces until the timestamps they came with can no longer pass the
 * tolerance check; after that a replay fails on its timestamp, so memory stays bounded by the
 * number of requests received within the tolerance window.
 */
export class NonceStore {
  readonly #expiries = new Map<string, number>();

  constructor(private readonly toleranceMs: number) {}

  /**
   * Records a nonce sent with a request stamped `timestampMs`; returns false when it was seen
   * already and has not expired.
   */
  remember(nonce: string, timestampMs: number, nowMs: number): boolean {
    this.#forgetExpired(nowMs);
    if (this.#expiries.has(nonce)) {
      return false;
    }
    this.#expiries.set(nonce, timestampMs + this.toleranceMs);

    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }

  #forgetExpired(nowMs: number): void {
    for (const [nonce, expiry] of this.#expiries) {
      if (expiry < nowMs) {
        this.#expiries.delete(nonce);
      }
    }
  }
}
