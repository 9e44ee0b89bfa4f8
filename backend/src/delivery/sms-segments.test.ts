import { describe, expect, it } from 'vitest';
import { fitsOneSms, smsEncoding, smsSegments } from './sms-segments';

describe('smsSegments', () => {
  it('GSM-7: 160 septets in one segment, 153 per part beyond', () => {
    expect(smsSegments('')).toMatchObject({ segments: 0, units: 0 });
    expect(smsSegments('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      singleSegmentLimit: 160,
    });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('GSM-7: the whole basic table stays GSM-7, the extension table counts two septets', () => {
    expect(smsEncoding('@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà')).toBe('GSM-7');
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(smsSegments('^{}\\[~]|').units).toBe(16);
  });

  it('GSM-7: an escape pair is never split between parts', () => {
    // 306 septets would be 2 parts if counted naively; the € cannot straddle the first boundary, so it is 3.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('UCS-2: any character outside GSM 03.38 (Chinese, curly quotes, emoji) makes the whole text UCS-2', () => {
    expect(smsEncoding('Your code is 123456')).toBe('GSM-7');
    expect(smsEncoding('It’s 123456')).toBe('UCS-2');
    expect(smsEncoding('123456 是您的验证码')).toBe('UCS-2');
    expect(smsSegments('中'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1, singleSegmentLimit: 70 });
    expect(smsSegments('中'.repeat(71)).segments).toBe(2);
    expect(smsSegments('中'.repeat(134)).segments).toBe(2);
    expect(smsSegments('中'.repeat(135)).segments).toBe(3);
    expect(smsSegments(`${'a'.repeat(69)}中`)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments(`${'a'.repeat(159)}中`)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
  });

  it('UCS-2: a character outside the BMP takes two units and its surrogate pair is never split', () => {
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36))).toMatchObject({ units: 72, segments: 2 });
    expect(smsSegments(`${'中'.repeat(66)}😀${'中'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('fitsOneSms', () => {
    expect(fitsOneSms('a'.repeat(160))).toBe(true);
    expect(fitsOneSms(`${'a'.repeat(159)}€`)).toBe(false);
    expect(fitsOneSms('中'.repeat(70))).toBe(true);
    expect(fitsOneSms('中'.repeat(71))).toBe(false);
  });
});
