import { describe, expect, it } from 'vitest';
import { checkMobileNumber, countryOfInternational, exampleMobile, mobileFieldProblem } from './phone';

describe('the shared mobile rule', () => {
  it('a +86 number one digit short is not valid (the min metadata took it for a fixed-line length)', () => {
    const r = checkMobileNumber('+861380013800');
    expect(r).toMatchObject({ valid: false, country: 'CN', callingCode: '86', isChina: true, nationalDigits: 10 });
    expect(mobileFieldProblem(r)).toEqual({
      code: 'mobile.invalid_for_country',
      params: { country: 'CN', callingCode: '86', example: '131 2345 6789', digits: 11, entered: 10 },
    });
    expect(checkMobileNumber('+8613800138000')).toMatchObject({ valid: true, e164: '+8613800138000', isChina: true });
  });

  it('national numbers with the chosen country; the message names that country and its example', () => {
    expect(checkMobileNumber('98765 43210', 'IN')).toMatchObject({ valid: true, e164: '+919876543210', country: 'IN' });
    expect(mobileFieldProblem(checkMobileNumber('98765', 'IN'))).toMatchObject({
      code: 'mobile.too_short_for_country',
      params: { country: 'IN', callingCode: '91', example: '81234 56789' },
    });
    expect(mobileFieldProblem(checkMobileNumber('201555', 'US'))).toMatchObject({
      params: { country: 'US', callingCode: '1', example: '201 555 0123' },
    });
    expect(mobileFieldProblem(checkMobileNumber('12345'))).toEqual({ code: 'mobile.no_country' });
    expect(mobileFieldProblem(checkMobileNumber(''))).toEqual({ code: 'mobile.required' });
    expect(mobileFieldProblem(checkMobileNumber('+6591234567'))).toBeUndefined();
    expect(checkMobileNumber('12345')).toMatchObject({ valid: false, problem: 'no-country' });
    expect(checkMobileNumber('  ')).toMatchObject({ valid: false, problem: 'empty' });
  });

  it('a number with its + code tells its country, even before it is complete', () => {
    expect(countryOfInternational('+86 131')).toEqual({ country: 'CN', callingCode: '86' });
    expect(countryOfInternational('+1 202')).toEqual({ country: 'US', callingCode: '1' });
    expect(countryOfInternational('91234567')).toEqual({});
  });

  it('examples come from libphonenumber, grouped without the country code', () => {
    expect(exampleMobile('SG')).toEqual({ national: '8123 4567', international: '+65 8123 4567', digits: 8 });
    expect(exampleMobile('XX')).toBeUndefined();
  });
});
