import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ApiErrorCode, ApiErrorDetails, ApiErrorEnvelope, ApiErrorStatus } from '../../../shared/api/errors';
import { fieldProblemOfIssue } from '../../../shared/domain/errors';
import { fieldProblem, type FieldProblem } from '../../../shared/domain/field-problems';
import { englishFieldProblem } from '../field-problem-english';

/** The fields of an envelope: each problem's code and parameters, with its English wording for API consumers. */
export type EnvelopeFields = NonNullable<ApiErrorEnvelope['error']['fields']>;

export function envelopeFields(fields: Readonly<Record<string, FieldProblem>>): EnvelopeFields {
  return Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, { ...p, message: englishFieldProblem(p) }]));
}

/** Zod issues as field → problem (the first per field), keyed by the dotted path, or `fallback` for the whole body. */
export function issueFields(
  issues: readonly { path: readonly PropertyKey[]; code?: string; message?: string; keys?: readonly string[] }[],
  fallback = 'body',
): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  for (const i of issues) {
    if (i.code === 'unrecognized_keys' && i.keys) {
      for (const k of i.keys) fields[[...i.path.map(String), k].join('.')] = fieldProblem('field.not_allowed');
      continue;
    }
    fields[i.path.map(String).join('.') || fallback] ??= fieldProblemOfIssue(i);
  }
  return fields;
}

export interface ApiErrorInit {
  status: ApiErrorStatus;
  code: ApiErrorCode;
  /** Says what happened and what to do next. */
  message: string;
  /** A problem (code and parameters) per request field that is missing or not valid. */
  fields?: Record<string, FieldProblem>;
  /** Sent inside the envelope beside the message. */
  details?: ApiErrorDetails;
  /** Sent as response headers (Retry-After). */
  headers?: Record<string, string>;
}

/** A typed API failure: becomes the error envelope `{ error: { code, message, fields?, ...details } }` with `status`. */
export class ApiError extends Error {
  readonly status: ApiErrorStatus;
  readonly code: ApiErrorCode;
  readonly fields: Record<string, FieldProblem> | undefined;
  readonly details: ApiErrorDetails | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields;
    this.details = init.details;
    this.headers = init.headers;
  }
}

export const notFound = (what = 'The resource'): ApiError =>
  new ApiError({ status: 404, code: 'NOT_FOUND', message: `${what} was not found. Check the address and try again.` });

export function errorBody(
  code: ApiErrorCode,
  message: string,
  fields?: Readonly<Record<string, FieldProblem>>,
  details?: ApiErrorDetails,
): ApiErrorEnvelope {
  return { error: { code, message, ...(fields ? { fields: envelopeFields(fields) } : {}), ...(details ?? {}) } };
}

/** Maps every failure to the error envelope: validation → 400 with a message per field, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.headers) void reply.headers(err.headers);
      return reply.status(err.status).send(errorBody(err.code, err.message, err.fields, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        ...v.params,
        path: v.instancePath.split('/').filter(Boolean),
        code: v.keyword,
        message: v.message,
      }));
      const fields = issueFields(issues, err.validationContext ?? 'body');
      return reply
        .status(400)
        .send(
          errorBody('VALIDATION_FAILED', 'Some fields are missing or not valid. Correct them and try again.', fields),
        );
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.routeOptions.bodyLimit ?? 64 * 1024;
      const size =
        limit >= 1024 * 1024 ? `${Math.round(limit / (1024 * 1024))} MiB` : `${Math.round(limit / 1024)} KiB`;
      return reply
        .status(413)
        .send(
          errorBody(
            'PAYLOAD_TOO_LARGE',
            `The request is larger than ${size}. Send less data${req.routeOptions.url === '/v1/admin/invitations/bulk' ? ' (at most 500 invitations per request)' : ''}.`,
          ),
        );
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, empty JSON body, … : all client errors, never a 5xx.
      const code =
        status === 404 ? 'NOT_FOUND' : status === 415 || status === 400 ? 'VALIDATION_FAILED' : 'VALIDATION_FAILED';
      return reply
        .status(status === 415 ? 415 : status === 404 ? 404 : 400)
        .send(
          errorBody(
            code,
            `The request could not be read (${err.message.replace(/\s+/g, ' ').slice(0, 120)}). Send valid JSON and try again.`,
            status === 404 ? undefined : { body: fieldProblem('body.invalid_json') },
          ),
        );
    }
    req.log.error({ err: { message: err.message, code: err.code } }, 'unhandled error');
    return reply
      .status(500)
      .send(
        errorBody(
          'INTERNAL',
          'Something went wrong on the server. Try again in a few minutes; if it keeps failing, contact TechPass support.',
        ),
      );
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send(errorBody('NOT_FOUND', `There is no ${req.method} ${req.url.split('?')[0]} endpoint. Check the address.`));
  });
}
