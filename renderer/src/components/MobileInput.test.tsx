import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MobileNumberFacts } from '../../../shared/domain/mobile-check';
import { mobileNumberFacts } from '../../../shared/domain/phone';
import { callMock, deferred, mockBridge, sentMethods } from '../test-utils';
import { MobileInput, useMobileCheck, type MobileValue } from './MobileInput';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

function Harness({ initial }: { initial: MobileValue }): React.JSX.Element {
  const [value, setValue] = useState(initial);
  const answer = useMobileCheck(value);
  return <MobileInput id="m" value={value} answer={answer} onChange={setValue} />;
}

const status = () => document.getElementById('m-status');

describe('MobileInput: the host answers as the user types', () => {
  beforeEach(() => {
    callMock.mockReset();
  });

  it('asks the host with the chosen country, and shows its answer', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({});
    render(<Harness initial={{ iso: 'SG', number: '' }} />);
    await vi.waitFor(() => expect(status()).toHaveTextContent('Singapore'));
    await user.type(screen.getByLabelText('Mobile number'), '9123 4567');
    await vi.waitFor(() => expect(status()).toHaveTextContent('We will use +6591234567.'));
    expect(callMock).toHaveBeenLastCalledWith('checkMobileNumber', { input: '+6591234567', country: 'SG' });
    expect(sentMethods()).toEqual([]);
  });

  it('a slow answer for an older entry never replaces the answer for the newer one', async () => {
    const user = userEvent.setup({ delay: null });
    const slow = deferred<MobileNumberFacts>();
    mockBridge({
      // The answer for the first digits is held back until the whole number has been answered.
      checkMobileNumber: ({ input, country }) => (input === '+659' ? slow.promise : mobileNumberFacts(input, country)),
    });
    render(<Harness initial={{ iso: 'SG', number: '' }} />);
    const number = screen.getByLabelText('Mobile number');
    await user.type(number, '9');
    await user.type(number, '1234567');
    await vi.waitFor(() => expect(status()).toHaveTextContent('We will use +6591234567.'));
    await act(async () => {
      slow.resolve(mobileNumberFacts('+659', 'SG'));
      await slow.promise;
    });
    expect(status()).toHaveTextContent('We will use +6591234567.');
  });

  it('a number typed with its + code selects its country once the host has named it; a country chosen later stays', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({});
    render(<Harness initial={{ iso: 'SG', number: '' }} />);
    await user.click(screen.getByLabelText('Mobile number'));
    await user.paste('+91 98765 43210');
    await vi.waitFor(() => expect(screen.getByLabelText('Country code')).toHaveValue('IN'));
    await user.selectOptions(screen.getByLabelText('Country code'), 'MY');
    await vi.waitFor(() =>
      expect(callMock).toHaveBeenLastCalledWith('checkMobileNumber', { input: '+919876543210', country: 'MY' }),
    );
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.getByLabelText('Country code')).toHaveValue('MY');
  });
});
