import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { z } from 'zod';
import type * as api from '../../shared/api/provisioning';
import type { Response } from '../../shared/contract';
import type { FieldProblem } from '../../shared/domain/field-problems';
import { checkMobileNumber, mobileFieldProblem } from '../../shared/domain/phone';

export interface MobileCheck {
  valid: boolean;
  e164?: string;
  country?: string;
  isChina: boolean;
  /** What is wrong with the number (the wizard words it; a +86 number's SMS warning is its own, from `isChina`). */
  problem?: FieldProblem;
}

/**
 * domain.md §3.4 / §5.2: the shared mobile rule (the same one the wizard and the backend run); +86 numbers are
 * flagged. The message names the number's country and the form numbers there take.
 */
export function validateMobile(mobile: string, defaultCountry?: string): MobileCheck {
  const check = checkMobileNumber(mobile, defaultCountry);
  if (!check.valid || !check.e164) {
    return {
      valid: false,
      isChina: check.isChina,
      ...(check.country ? { country: check.country } : {}),
      problem: mobileFieldProblem(check) ?? { code: 'mobile.invalid' },
    };
  }
  return {
    valid: true,
    e164: check.e164,
    ...(check.country ? { country: check.country } : {}),
    isChina: check.isChina,
  };
}

/** `+65 ••••4567`: enough for the user to recognise the number, never the whole of it. */
export function maskMobile(e164: string): string {
  const cc = parsePhoneNumberFromString(e164)?.countryCallingCode;
  return `${cc ? `+${cc} ` : ''}••••${e164.slice(-4)}`;
}

export type PhoneCodeDeliveryView = Response<'getPhoneCodeDelivery'>;

/** The backend's delivery state of the code SMS as the phone step shows it: the number masked, China flagged. */
export function phoneCodeDeliveryView(d: z.infer<typeof api.PhoneCodeDelivery>): PhoneCodeDeliveryView {
  const undelivered = d.state === 'retrying' || d.state === 'failed' || d.state === 'rejected';
  const cc = d.to ? parsePhoneNumberFromString(d.to)?.countryCallingCode : undefined;
  return { state: d.state, ...(d.to ? { sentTo: maskMobile(d.to) } : {}), isChina: cc === '86', undelivered };
}
