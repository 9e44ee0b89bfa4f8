import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeError, callMock, mockBridge, resetStore } from '../test-utils';
import { ResendInitialPassword } from './ResendInitialPassword';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

describe('ResendInitialPassword ("Send my first password again")', () => {
  beforeEach(() => {
    resetStore();
    callMock.mockReset();
  });

  it('with the mobile known from registration: one click sends, says where, shows the count, then waits for the cooldown', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      resendInitialPassword: () => ({
        sentTo: '+65 ••••4567',
        sentToday: 2,
        dailyLimit: 5,
        resendAvailableAt: inAMinute(),
      }),
    });
    render(<ResendInitialPassword loginId="jane.tan@techpass.gov.sg" registeredMobile="+6581234567" />);
    expect(screen.queryByLabelText(/Mobile number you registered with/)).not.toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Send my first password again' });
    await user.click(button);
    expect(callMock).toHaveBeenCalledWith('resendInitialPassword', { loginId: 'jane.tan@techpass.gov.sg' });
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Sent to +65 ••••4567');
    expect(status).toHaveTextContent('the earlier first password no longer works');
    expect(status).toHaveTextContent('2 of 5 sent today.');
    expect(status).toHaveTextContent(/You can ask again in (59|60) seconds\./);
    expect(button).toBeDisabled();
  });

  it('without a known mobile it asks for it; a refused number lands on that field; the cooldown and daily limit are said', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      resendInitialPassword: () => {
        n += 1;
        if (n === 1)
          throw bridgeError('VALIDATION_FAILED', {
            fields: {
              mobile: {
                code: 'mobile.too_short_for_country',
                params: { country: 'SG', callingCode: '65', example: '8123 4567', digits: 8, entered: 4 },
              },
            },
          });
        throw bridgeError('RATE_LIMITED', { params: { retryAfterSeconds: 3600 } });
      },
    });
    render(<ResendInitialPassword loginId="jane.tan@techpass.gov.sg" />);
    const field = screen.getByLabelText(/Mobile number you registered with/);
    await user.type(field, '+65 8123');
    await user.click(screen.getByRole('button', { name: 'Send my first password again' }));
    expect(callMock).toHaveBeenLastCalledWith('resendInitialPassword', {
      loginId: 'jane.tan@techpass.gov.sg',
      mobile: '+65 8123',
    });
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/too short for Singapore/);
    await user.clear(field);
    await user.type(field, '+65 8123 4567');
    await user.click(screen.getByRole('button', { name: 'Send my first password again' }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(/You can ask again in [\d,]+ seconds/);
    expect(screen.getByRole('button', { name: 'Send my first password again' })).toBeDisabled();
  });

  it('needs the TechPass ID first', () => {
    render(<ResendInitialPassword loginId="" registeredMobile="+6581234567" />);
    expect(screen.getByRole('button', { name: 'Send my first password again' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Enter your TechPass ID first.');
  });
});
