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

/** The error envelope of every failure: `{ error: { code, message, fields?, ...details } }`. */
export interface ApiErrorEnvelope {
  error: ApiErrorDetails & { code: ApiErrorCode; message: string; fields?: Record<string, ApiFieldProblem> };
}
// Typed by name: every route's table entry carries this schema per failing status, and spelling out the field codes in
// each entry's inferred type is more than the compiler will write down.
export const ApiErrorEnvelope: z.ZodType<ApiErrorEnvelope> = z
  .object({
    error: z
      .object({
        code: ApiErrorCode,
        /** Says what happened and what to do next; safe to show. */
        message: z.string(),
        /** A problem per request field (dotted path) that is missing or not valid. */
        fields: z.record(z.string(), ApiFieldProblem).optional(),
      })
      .extend(ApiErrorDetails.shape)
      .strict(),
  })
  .strict();
