import { describe, expect, it } from 'vitest';
import { daysLeft } from '../../../shared/domain/deadlines';
import { formatDateTime, formatTime, loadLocale } from '.';

// A deadline whose date in Singapore is a day after its UTC date: the email says "Fri 1 Jan 2027, 04:03 SGT".
const DEADLINE = '2026-12-31T20:03:00Z';

describe('one date form everywhere', () => {
  it('in Singapore (or any UTC+8 zone): exactly the form the emails use', () => {
    expect(formatDateTime(DEADLINE, 'Asia/Singapore')).toBe('Fri 1 Jan 2027, 04:03 SGT');
    expect(formatDateTime(DEADLINE, 'Asia/Shanghai')).toBe('Fri 1 Jan 2027, 04:03 SGT');
    expect(formatTime(DEADLINE, 'Asia/Singapore')).toBe('04:03 SGT');
  });

  it('elsewhere: the local time with its zone, and SGT beside it', () => {
    expect(formatDateTime(DEADLINE, 'UTC')).toBe('Thu 31 Dec 2026, 20:03 UTC (Fri 1 Jan 2027, 04:03 SGT)');
    expect(formatDateTime(DEADLINE, 'Asia/Kolkata')).toBe('Fri 1 Jan 2027, 01:33 GMT+5:30 (Fri 1 Jan 2027, 04:03 SGT)');
    expect(formatTime(DEADLINE, 'UTC')).toBe('20:03 UTC (04:03 SGT)');
  });

  it('counts days left up: 30 on day one of a 30-day deadline, 1 on the last day, 0 after', () => {
    const now = new Date('2026-12-01T20:03:05Z');
    expect(daysLeft(new Date('2026-12-31T20:03:00Z'), now)).toBe(30);
    expect(daysLeft(new Date('2026-12-01T21:00:00Z'), now)).toBe(1);
    expect(daysLeft(new Date('2026-12-01T20:00:00Z'), now)).toBe(0);
  });

  it('in Chinese: the Chinese date form, 24-hour time, and Singapore time named in Chinese', async () => {
    await loadLocale('zh-CN');
    try {
      expect(formatDateTime(DEADLINE, 'Asia/Singapore')).toBe('2027年1月1日周五 04:03 新加坡时间');
      expect(formatDateTime(DEADLINE, 'UTC')).toBe('2026年12月31日周四 20:03 UTC（2027年1月1日周五 04:03 新加坡时间）');
      expect(formatTime(DEADLINE, 'UTC')).toBe('20:03 UTC（04:03 新加坡时间）');
    } finally {
      await loadLocale('en');
    }
  });
});
