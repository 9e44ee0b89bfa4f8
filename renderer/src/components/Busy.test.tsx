import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Busy, SLOW_NOTICE_MS } from './Busy';

describe('Busy', () => {
  afterEach(() => vi.useRealTimers());

  it('after a few seconds says the connection is slow and that it is still working (announced in the same status)', () => {
    vi.useFakeTimers();
    render(<Busy label="Signing in…" />);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Signing in…');
    expect(status).not.toHaveTextContent(/slow/);
    act(() => {
      vi.advanceTimersByTime(SLOW_NOTICE_MS - 100);
    });
    expect(status).not.toHaveTextContent(/slow/);
    act(() => {
      vi.advanceTimersByTime(200);
    });
    expect(status).toHaveTextContent('Signing in… The connection is slow; the app is still working.');
    expect(status).toHaveTextContent('what you typed is kept');
  });

  it('is about 3 seconds', () => {
    expect(SLOW_NOTICE_MS).toBe(3000);
  });
});
