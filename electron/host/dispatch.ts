import { contract, isMethodName, type Envelope, type Handlers } from '../../shared/contract';
import { BridgeError, fieldProblemOfIssue } from '../../shared/domain/errors';
import type { FieldProblem } from '../../shared/domain/field-problems';
import { HostError } from './host-error';

export interface DispatchLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const silent: DispatchLogger = { warn: () => undefined, error: () => undefined };

/**
 * The single entry every transport (Electron IPC, the web bridge) goes through: check the method exists, parse the
 * payload with the contract's zod schema, run the handler, and turn anything thrown into a typed error envelope.
 * Payloads are never logged (they can hold passwords); only the method name and the error code are.
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  payload: unknown,
  log: DispatchLogger = silent,
): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    log.warn('unknown bridge method', { method: method.slice(0, 64) });
    return fail({ code: 'BAD_REQUEST' });
  }
  const parsed = contract[method].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const fields: Record<string, FieldProblem> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] = fieldProblemOfIssue(issue);
    log.warn('bridge payload rejected', { method, fields: Object.keys(fields) });
    return fail({ code: 'BAD_REQUEST', fields });
  }
  try {
    const handler = handlers[method] as (req: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    return { ok: true, result };
  } catch (err) {
    if (err instanceof HostError) {
      // The description is English for developers; only the code and its typed parameters cross to the wizard.
      log.warn('bridge call failed', { method, code: err.code, description: err.message });
      // The contract's schema is strict: an error carrying anything but a code and typed facts does not cross.
      const checked = BridgeError.safeParse(err.bridgeError);
      if (checked.success) return fail(checked.data);
      log.error('host error does not match the contract', {
        method,
        code: err.code,
        keys: checked.error.issues.map((i) => i.path.join('.')),
      });
      return fail({ code: 'UNEXPECTED', retryable: true });
    }
    log.error('bridge handler failed', { method, error: err instanceof Error ? err.name : typeof err });
    return fail({ code: 'UNEXPECTED', retryable: true });
  }
}

function fail(error: BridgeError): Envelope<never> {
  return { ok: false, error };
}
