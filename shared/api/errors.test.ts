import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ApiErrorEnvelope,
  parseApiErrorAnswer,
  TolerantApiError,
  type ApiErrorEnvelope as ApiErrorEnvelopeType,
} from './errors';

/** The strict envelope's error object (the export is typed by name, so reach its shape through the schema itself). */
function strictErrorObject(): z.ZodObject {
  expect(ApiErrorEnvelope).toBeInstanceOf(z.ZodObject);
  const error = (ApiErrorEnvelope as unknown as z.ZodObject<{ error: z.ZodType }>).shape.error;
  expect(error).toBeInstanceOf(z.ZodObject);
  return error as z.ZodObject;
}

const validation: ApiErrorEnvelopeType = {
  error: {
    code: 'VALIDATION_FAILED',
    message: 'Some fields are missing or not valid.',
    fields: {
      email: { code: 'email.invalid', message: 'Enter a valid email address.' },
      mobile: { code: 'mobile.too_short_for_country', params: { country: 'SG' }, message: 'Too short.' },
    },
  },
};
const rateLimited: ApiErrorEnvelopeType = {
  error: { code: 'RATE_LIMITED', message: 'Wait a minute.', retryAfterSeconds: 60 },
};
const resendQuota: ApiErrorEnvelopeType = {
  error: { code: 'RATE_LIMITED', message: 'Try tomorrow.', sentToday: 3, dailyLimit: 3 },
};
const policy: ApiErrorEnvelopeType = {
  error: { code: 'PASSWORD_POLICY', message: 'Choose another.', rules: ['length', 'digit'] },
};

describe('the error envelope has one definition', () => {
  it('the strict and the tolerant error objects have the same fields, so a field added to the envelope reaches both', () => {
    expect(Object.keys(TolerantApiError.shape).sort()).toEqual(Object.keys(strictErrorObject().shape).sort());
  });

  it.each([validation, rateLimited, resendQuota, policy])(
    'an envelope this backend sends reads the same strictly and tolerantly (%#)',
    (envelope) => {
      expect(ApiErrorEnvelope.parse(envelope)).toEqual(envelope);
      expect(parseApiErrorAnswer(JSON.stringify(envelope))).toEqual(envelope);
    },
  );

  it('the strict envelope refuses what the tolerant reading lets through', () => {
    const unknownCode = { error: { code: 'LEGACY_CODE', message: 'From an older backend.' } };
    expect(ApiErrorEnvelope.safeParse(unknownCode).success).toBe(false);
    expect(ApiErrorEnvelope.safeParse({ error: { ...rateLimited.error, extra: true } }).success).toBe(false);
  });
});

describe('parseApiErrorAnswer: a client reads what a proxy or another backend version answers', () => {
  it('keeps an unknown code as sent (the caller maps it to its fallback)', () => {
    expect(parseApiErrorAnswer('{"error":{"code":"LEGACY_CODE","message":"Old wording."}}')).toEqual({
      error: { code: 'LEGACY_CODE', message: 'Old wording.' },
    });
  });

  it('drops unknown keys and a detail of another form instead of failing the answer', () => {
    const read = parseApiErrorAnswer(
      '{"error":{"code":"RATE_LIMITED","message":"Wait.","retryAfterSeconds":"soon","traceId":"abc"},"extra":1}',
    );
    expect(read?.error.code).toBe('RATE_LIMITED');
    expect(read?.error.retryAfterSeconds).toBeUndefined();
    expect(read?.error).not.toHaveProperty('traceId');
  });

  it('accepts a field problem without its English message', () => {
    expect(
      parseApiErrorAnswer(
        '{"error":{"code":"VALIDATION_FAILED","message":"m","fields":{"email":{"code":"email.invalid"}}}}',
      )?.error.fields,
    ).toEqual({
      email: { code: 'email.invalid' },
    });
  });

  it.each([
    ['a web page (captive portal, proxy error)', '<!doctype html><html><body>Sign in to the Wi-Fi</body></html>'],
    ['a body cut off mid-way', '{"error":{"code":"RATE_LIMITED","mess'],
    ['an empty body', ''],
    ['JSON of another shape', '{"message":"Bad Gateway"}'],
    ['an envelope without a message', '{"error":{"code":"NOT_FOUND"}}'],
  ])('is undefined for %s', (_what, text) => {
    expect(parseApiErrorAnswer(text)).toBeUndefined();
  });
});
