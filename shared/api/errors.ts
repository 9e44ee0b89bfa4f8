import { z } from 'zod';
import { API_ERROR_CODES, FieldProblemSchema } from '../domain/errors';
import type { FieldProblem } from '../domain/field-problems';

/** Codes only the admin API answers with: they never reach the desktop app, so its catalogue has no message for them. */
export const ADMIN_API_ERROR_CODES = ['INVITER_MISMATCH'] as const;

/** Every `error.code` the provisioning API answers with (the host adds its own transport codes on top). */
export const ApiErrorCode = z.enum([...API_ERROR_CODES, ...ADMIN_API_ERROR_CODES]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** The HTTP statuses an API failure is sent with. */
export const API_ERROR_STATUSES = [400, 401, 403, 404, 409, 410, 413, 415, 423, 429, 500] as const;
export type ApiErrorStatus = (typeof API_ERROR_STATUSES)[number];

/** Facts a failure carries beside its message, for a client to act on (wait, show the failed rules, show the quota). */
export const ApiErrorDetails = z
  .object({
    /** Also sent as the Retry-After header. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** The password-policy rules the password failed. */
    rules: z.array(z.string()).optional(),
    /** Initial-password resends: how many were sent today, of how many a day. */
    sentToday: z.number().int().min(0).optional(),
    dailyLimit: z.number().int().min(1).optional(),
  })
  .strict();
export type ApiErrorDetails = z.infer<typeof ApiErrorDetails>;

/** One field's problem on the wire: its code and parameters (for a client to word), with its English wording for API consumers. */
export interface ApiFieldProblem extends FieldProblem {
  message: string;
}
export const ApiFieldProblem = FieldProblemSchema.extend({ message: z.string() }).strict();

/**
 * The error object's fields, defined once: the strict envelope (what this backend sends, on the route table) and the
 * tolerant reading (what a client accepts) are both built from it, so a field added here reaches both.
 */
const apiErrorFields = {
  code: ApiErrorCode,
  /** Says what happened and what to do next; safe to show. */
  message: z.string(),
  /** A problem per request field (dotted path) that is missing or not valid. */
  fields: z.record(z.string(), ApiFieldProblem).optional(),
  ...ApiErrorDetails.shape,
};

/** The error envelope of every failure: `{ error: { code, message, fields?, ...details } }`. */
export interface ApiErrorEnvelope {
  error: ApiErrorDetails & { code: ApiErrorCode; message: string; fields?: Record<string, ApiFieldProblem> };
}
// Typed by name: every route's table entry carries this schema per failing status, and spelling out the field codes in
// each entry's inferred type is more than the compiler will write down.
export const ApiErrorEnvelope: z.ZodType<ApiErrorEnvelope> = z
  .object({ error: z.object(apiErrorFields).strict() })
  .strict();

/**
 * The same error object as a client reads it (the host, the admin CLI): a proxy or an older or newer backend may answer
 * a code this version does not know, or add or reshape a detail, and the client still wants the code and message it
 * can use. Derived from `apiErrorFields`, loosened in exactly these ways: `code` is any string (the caller maps a code
 * it does not know to its own fallback, and the CLI shows it as sent), a field problem's English `message` may be
 * missing, a detail of another form is dropped rather than failing the whole answer, and unknown keys are dropped.
 */
export const TolerantApiError = z.object({
  ...apiErrorFields,
  code: z.string(),
  fields: z.record(z.string(), z.object(ApiFieldProblem.shape).partial({ message: true })).optional(),
  ...tolerantDetails(ApiErrorDetails.shape),
});
export type TolerantApiError = z.infer<typeof TolerantApiError>;
export const TolerantApiErrorEnvelope = z.object({ error: TolerantApiError });
export type TolerantApiErrorEnvelope = z.infer<typeof TolerantApiErrorEnvelope>;

function tolerantDetails<Shape extends Record<string, z.ZodType>>(
  shape: Shape,
): { [K in keyof Shape]: z.ZodCatch<Shape[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, detail]) => [key, detail.catch(undefined)])) as {
    [K in keyof Shape]: z.ZodCatch<Shape[K]>;
  };
}

/**
 * An error answer's text read as the error envelope, or `undefined` where it is not one (a web page from a proxy or a
 * captive portal, a body cut off mid-way, an empty body, JSON of another shape).
 */
export function parseApiErrorAnswer(text: string): TolerantApiErrorEnvelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = TolerantApiErrorEnvelope.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
