import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface MobileCheck {
  valid: boolean;
  e164?: string;
  country?: string;
  isChina: boolean;
  message?: string;
}

const BAD_FORMAT =
  'Enter a mobile number with its country code, e.g. +65 9123 4567. Singapore mobiles have 8 digits starting with 8 or 9.';
const CHINA_WARNING =
  'SMS from gov.sg may be blocked in China. If the password SMS or a code does not arrive, use the password reset guide or raise a service request.';

/** domain.md §3.4 / §5.2: E.164 with libphonenumber-js (min metadata, host only); +86 numbers are flagged. */
export function validateMobile(mobile: string, defaultCountry?: string): MobileCheck {
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(mobile.trim(), country ? { defaultCountry: country } : undefined);
  if (!parsed || !parsed.isValid()) return { valid: false, isChina: false, message: BAD_FORMAT };
  const isChina = parsed.countryCallingCode === '86';
  return {
    valid: true,
    e164: parsed.number,
    country: parsed.country,
    isChina,
    ...(isChina ? { message: CHINA_WARNING } : {}),
  };
}

/** `+65 ••••4567`: enough for the user to recognise the number, never the whole of it. */
export function maskMobile(e164: string): string {
  const cc = parsePhoneNumberFromString(e164)?.countryCallingCode;
  return `${cc ? `+${cc} ` : ''}••••${e164.slice(-4)}`;
}
