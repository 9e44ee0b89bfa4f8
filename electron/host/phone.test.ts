import { describe, expect, it } from 'vitest';
import { validateMobile } from './phone';

describe('validateMobile (libphonenumber-js, host only)', () => {
  it('accepts a Singapore mobile in E.164 and normalises spaces', () => {
    expect(validateMobile('+65 9123 4567')).toMatchObject({
      valid: true,
      e164: '+6591234567',
      country: 'SG',
      isChina: false,
    });
  });
  it('uses the default country for a national number', () => {
    expect(validateMobile('91234567', 'SG')).toMatchObject({ valid: true, e164: '+6591234567' });
  });
  it('flags +86 numbers (the SMS may be blocked in China)', () => {
    const r = validateMobile('+8613800138000');
    expect(r).toMatchObject({ valid: true, isChina: true, country: 'CN' });
    expect(r.problem).toBeUndefined();
  });
  it.each([
    ['12345', 'mobile.no_country'],
    ['+65 1234', 'mobile.too_short_for_country'],
    ['not a number', 'mobile.required'],
    ['', 'mobile.required'],
  ])('rejects %j with a problem code (the wizard words it)', (m, code) => {
    const r = validateMobile(m);
    expect(r.valid).toBe(false);
    expect(r.problem?.code).toBe(code);
  });
  it('runs the shared rule: a +86 number one digit short is refused, naming China and its example form', () => {
    const r = validateMobile('+861380013800');
    expect(r).toMatchObject({ valid: false, isChina: true, country: 'CN' });
    expect(r.problem).toEqual({
      code: 'mobile.invalid_for_country',
      params: { country: 'CN', callingCode: '86', example: '131 2345 6789', digits: 11, entered: 10 },
    });
  });
});
