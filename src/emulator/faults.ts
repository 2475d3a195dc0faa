import type { EmulatorFault } from './types.js';

interface ArmedFault {
  fault: EmulatorFault;
  /** Calls left to fail; Infinity without `Times`. */
  remaining: number;
}

/** The faults in force, per InstanceId, and how many calls each still fails. */
export class FaultBook {
  readonly #faults = new Map<string, ArmedFault>();

  /** Arms `fault` for `instanceId` (its `Times` counted from now), or clears it with null. */
  set(instanceId: string, fault: EmulatorFault | null): void {
    if (fault === null) {
      this.#faults.delete(instanceId);

      return;
    }
    this.#faults.set(instanceId, { fault, remaining: fault.Times ?? Number.POSITIVE_INFINITY });
  }

  /** The fault this call meets, counting it against `Times`; null once it is spent. */
  take(instanceId: string): EmulatorFault | null {
    const armed = this.#faults.get(instanceId);
    if (!armed || armed.remaining <= 0) {
      return null;
    }
    armed.remaining -= 1;

    return armed.fault;
  }
}

/** Default messages in the style of the real endpoint, for faults that bring none. */
const MESSAGES: Record<string, string> = {
  Throttling: 'Request was denied due to request throttling.',
  'Throttling.User': 'Request was denied due to user flow control.',
  'Throttling.Api': 'Request was denied due to api flow control.',
  'Forbidden.RAM':
    "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
  InternalError: 'The request processing has failed due to some unknown error.',
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  IncorrectDBInstanceState: 'Current DB instance state does not support this operation.',
};

export function faultMessage(fault: EmulatorFault): string {
  const code = fault.Code ?? 'InternalError';

  return fault.Message ?? MESSAGES[code] ?? `The request has failed with ${code}.`;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
