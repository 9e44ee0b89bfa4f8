import type { BridgeError, ErrorCode } from '../../shared/domain/errors';

/** The one error type host services throw; it becomes `{ ok: false, error }` at the boundary. */
export class HostError extends Error {
  readonly code: ErrorCode;
  readonly bridgeError: BridgeError;
  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'HostError';
    this.code = error.code;
    this.bridgeError = error;
  }
  static of(code: ErrorCode, message: string, extra: Partial<Omit<BridgeError, 'code' | 'message'>> = {}): HostError {
    return new HostError({ code, message, ...extra });
  }
}
