/**
 * How many SMS segments a text takes (3GPP TS 23.038 / 23.040). A text made only of GSM 03.38 characters goes as
 * GSM-7: 160 septets in one segment, 153 per segment when concatenated, and each character of the extension table
 * (`^ { } \ [ ~ ] | €` and form feed) takes two septets. Any other character (Chinese, emoji, curly quotes) makes the
 * whole message UCS-2: 70 UTF-16 units in one segment, 67 per segment when concatenated. A multi-part message never
 * splits an escape pair or a surrogate pair between segments.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** The capacity of a single-segment message in this encoding (160 or 70 units). */
  singleSegmentLimit: number;
}

export const SMS_SEGMENT_CAPACITY = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const;

/** The encoding a text needs: GSM-7 when every character is in the GSM 03.38 basic or extension table. */
export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

export function smsSegments(text: string): SmsSegmentation {
  const encoding = smsEncoding(text);
  // The cost of each character in units, in order, so concatenated segments can be packed without splitting one.
  const costs = [...text].map((ch) => (encoding === 'GSM-7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const limits = SMS_SEGMENT_CAPACITY[encoding];
  if (units === 0) return { encoding, units, segments: 0, singleSegmentLimit: limits.single };
  if (units <= limits.single) return { encoding, units, segments: 1, singleSegmentLimit: limits.single };
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > limits.concatenated) {
      segments += 1;
      used = 0;
    }
    used += c;
  }
  return { encoding, units, segments, singleSegmentLimit: limits.single };
}

/** Whether the text goes as one SMS segment. */
export function fitsOneSms(text: string): boolean {
  return smsSegments(text).segments <= 1;
}
