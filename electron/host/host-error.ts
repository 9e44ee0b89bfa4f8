import type { BridgeError, ErrorCode } from '../../shared/domain/errors';

/**
 * The one error type host services throw; it becomes `{ ok: false, error }` at the boundary. What crosses is
 * `bridgeError` only: a code with typed parameters, which the wizard words in the user's language. `message` (the
 * Error's own) is an English description for developers and the host log, and never leaves the host.
 */
export class HostError extends Error {
  readonly code: ErrorCode;
  readonly bridgeError: BridgeError;
  constructor(error: BridgeError, description: string = error.code) {
    super(description);
    this.name = 'HostError';
    this.code = error.code;
    this.bridgeError = error;
  }
  /** `description` says what happened, for the log (English, for developers); the user reads the catalogue's words. */
  static of(code: ErrorCode, description: string, extra: Partial<Omit<BridgeError, 'code'>> = {}): HostError {
    return new HostError({ code, ...extra }, description);
  }
}
