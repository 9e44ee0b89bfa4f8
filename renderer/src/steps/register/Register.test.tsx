import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvitationSummary } from '../../../../shared/contract';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore, sentMethods } from '../../test-utils';
import { mobileNumberFacts } from '../../../../shared/domain/phone';
import { Register } from './Register';
import { loadLocale } from '../../i18n';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const invitation = (over: Partial<InvitationSummary> = {}): InvitationSummary => ({
  emailMasked: 'j*******@accenture.com',
  businessOperation: 'onshore',
  odc: null,
  sponsoringAgency: 'GovTech',
  seedRequested: false,
  passwordDelivery: 'self_set',
  requiredFields: ['username', 'firstName', 'lastName', 'mobile', 'department', 'password'],
  expiresAt: '2026-03-05T02:00:00Z',
  ...over,
});

type User = ReturnType<typeof userEvent.setup>;
async function fillBasics(user: User, password = 'Blue-Harbour-42') {
  await user.type(screen.getByLabelText(/^Username/), 'jane.tan');
  await user.type(screen.getByLabelText(/^First name/), 'Jane');
  await user.type(screen.getByLabelText(/^Last name/), 'Tan');
  await user.type(screen.getByLabelText('Mobile number'), '91234567');
  await user.type(screen.getByLabelText(/^Department/), 'Engineering');
  if (screen.queryByLabelText(/^Password/)) {
    await user.type(screen.getByLabelText(/^Password/), password);
    await user.type(screen.getByLabelText(/^Confirm password/), password);
  }
}

describe('Register: opening the invitation', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'register' }) });
    callMock.mockReset();
  });

  it('empty: asks for the link', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.click(screen.getByRole('button', { name: 'Open invitation' }));
    expect(screen.getByText('Paste the registration link from your invitation email.')).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
  });

  it('invalid link: says what to paste, marks the field invalid and moves focus to the error', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ openInvitation: () => Promise.reject(bridgeError('INVALID_LINK')) });
    render(<Register />);
    await user.type(screen.getByLabelText(/^Registration link/), 'hello');
    await user.click(screen.getByRole('button', { name: 'Open invitation' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('not a TechPass registration link');
    await vi.waitFor(() => expect(alert).toHaveFocus());
    const field = screen.getByLabelText(/^Registration link/);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/Copy the whole link/);
    await user.type(field, 'x');
    expect(field).not.toHaveAttribute('aria-invalid');
  });

  it.each([
    ['INVITATION_EXPIRED', 'This invitation has expired', /send a new invitation/],
    ['INVITATION_USED', 'This invitation has already been used', /Sign in with the username/],
    ['INVITATION_SUPERSEDED', 'A newer invitation replaced this one', /most recent invitation/],
  ] as const)('%s: its own screen says who to ask', async (code, title, next) => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ openInvitation: () => Promise.reject(bridgeError(code)) });
    render(<Register />);
    await user.type(screen.getByLabelText(/^Registration link/), 'https://techpass.example/register/abc');
    await user.click(screen.getByRole('button', { name: 'Open invitation' }));
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByText(next)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use a different invitation link' }));
    expect(screen.getByLabelText(/^Registration link/)).toBeInTheDocument();
  });

  it('submitting then success: the host’s journey carries the invitation', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ openInvitation: () => wait.promise });
    render(<Register />);
    await user.type(screen.getByLabelText(/^Registration link/), '  techpass-onboarding://register?token=abc  ');
    await user.click(screen.getByRole('button', { name: 'Open invitation' }));
    expect(callMock).toHaveBeenCalledWith('openInvitation', { link: 'techpass-onboarding://register?token=abc' });
    expect(screen.getByText('Please wait…')).toBeInTheDocument();
    wait.resolve(journey({ step: 'register', invitation: invitation() }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.invitation).toBeDefined());
  });
});

describe('Register: the form', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'register', invitation: invitation() }) });
    callMock.mockReset();
    mockBridge({});
  });

  it('shows the invitation summary read-only', () => {
    render(<Register />);
    const summary = screen.getByRole('region', { name: 'Your invitation' });
    expect(within(summary).getByText('j*******@accenture.com')).toBeInTheDocument();
    expect(within(summary).getByText('GovTech')).toBeInTheDocument();
    expect(within(summary).getByText('You choose it on this form')).toBeInTheDocument();
  });

  it('empty: an error summary and a message next to each field; nothing is sent', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(screen.getByText('Check these fields:')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Username: Enter a username/ })).toHaveAttribute('href', '#reg-username');
    expect(screen.getByLabelText(/^Username/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^First name/)).toHaveAccessibleDescription(/Enter your first name/);
    expect(sentMethods()).toEqual([]);
  });

  it('invalid: live validation after leaving a field, with the shared phone rule naming the country', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.type(screen.getByLabelText(/^Username/), '1jane');
    await user.tab();
    expect(screen.getByText(/Start your username with a letter/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Mobile number'), '1234');
    await user.tab();
    expect(screen.getByLabelText('Mobile number')).toHaveAccessibleDescription(
      /This number is too short for Singapore \(\+65\)\. Mobile numbers there look like 8123 4567/,
    );
    expect(sentMethods()).toEqual([]);
  });

  it('+86 one digit short fails in the wizard, on the field, and nothing is sent (the server would refuse it)', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ submitRegistration: () => journey({ step: 'account-created' }) });
    render(<Register />);
    await fillBasics(user);
    await user.selectOptions(screen.getByLabelText('Country code'), 'CN');
    await user.clear(screen.getByLabelText('Mobile number'));
    await user.type(screen.getByLabelText('Mobile number'), '138 0013 800');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    const number = screen.getByLabelText('Mobile number');
    expect(number).toHaveAttribute('aria-invalid', 'true');
    expect(number).toHaveAccessibleDescription(
      /not a valid mobile number for China \(\+86\).*131 2345 6789.*You entered 10/,
    );
    expect(
      screen.getByRole('link', { name: /Mobile number: This is not a valid mobile number for China/ }),
    ).toHaveAttribute('href', '#reg-mobile');
    await vi.waitFor(() => expect(document.getElementById('reg-error-summary')).toHaveFocus());
    expect(sentMethods()).toEqual([]);
  });

  it('a pasted +86 number selects China; the warning comes after every field, not between two', async () => {
    resetStore({
      journey: journey({
        step: 'register',
        invitation: invitation({
          passwordDelivery: 'sms',
          requiredFields: ['username', 'firstName', 'lastName', 'mobile', 'department'],
        }),
      }),
    });
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.click(screen.getByLabelText('Mobile number'));
    await user.paste('+86 138 0013 8000');
    // The host's answer names the country; the list follows it.
    await vi.waitFor(() => expect(screen.getByLabelText('Country code')).toHaveValue('CN'));
    expect(screen.getByText('We will use +8613800138000.')).toBeInTheDocument();
    const warning = screen.getByText('SMS to China (+86) numbers may be blocked');
    const department = screen.getByLabelText(/^Department/);
    expect(department.compareDocumentPosition(warning) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Tab from the number goes on to the next field, not into the warning's link.
    await user.tab();
    expect(department).toHaveFocus();
  });

  it('server field errors land on their fields, unknown ones in the summary; the summary takes focus', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      submitRegistration: () =>
        Promise.reject(
          bridgeError('VALIDATION_FAILED', {
            fields: {
              mobile: { code: 'mobile.singapore_required' },
              lastName: { code: 'name.character_not_allowed' },
              body: { code: 'body.invalid_json' },
            },
          }),
        ),
    });
    render(<Register />);
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await vi.waitFor(() => expect(document.getElementById('reg-error-summary')).toHaveFocus());
    expect(screen.getByLabelText('Mobile number')).toHaveAccessibleDescription(
      /Onshore users must register a Singapore mobile/,
    );
    expect(screen.getByLabelText(/^Last name/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('link', { name: /Last name: Use only letters/ })).toBeInTheDocument();
    expect(screen.getByText('The form could not be read. Try again.')).toBeInTheDocument();
    expect(screen.queryByText(/highlighted fields/)).not.toBeInTheDocument();
  });

  it('self-set: the live password checklist uses the username and names', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.type(screen.getByLabelText(/^First name/), 'Jane');
    await user.type(screen.getByLabelText(/^Password/), 'JaneRocks99');
    const rule = screen.getByText('Not include your first or last name').closest('li') as HTMLElement;
    expect(within(rule).getByText('(not met)')).toBeInTheDocument();
  });

  it('offshore outside an ODC: the reporting officer and company address are required', async () => {
    resetStore({
      journey: journey({
        step: 'register',
        invitation: invitation({
          businessOperation: 'offshore',
          odc: 'Others',
          offshoreCompanyName: 'Infosys Offshore Pvt Ltd',
          passwordDelivery: 'sms',
          requiredFields: [
            'username',
            'firstName',
            'lastName',
            'mobile',
            'department',
            'offshoreReportingOfficer',
            'offshoreCompanyAddress',
          ],
        }),
      }),
    });
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    expect(screen.getByRole('group', { name: 'Offshore details' })).toBeInTheDocument();
    // What the invitation already holds is shown, not asked again.
    const summary = screen.getByRole('region', { name: 'Your invitation' });
    expect(within(summary).getByText('Others (not in an ODC)')).toBeInTheDocument();
    expect(within(summary).getByText('Infosys Offshore Pvt Ltd')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Offshore details' })).toHaveTextContent(
      'Your company, from your invitation: Infosys Offshore Pvt Ltd.',
    );
    expect(screen.queryByLabelText(/^Password/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(screen.getByRole('link', { name: /Offshore reporting officer name:/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Offshore company address:/ })).toBeInTheDocument();
    // No country code is guessed for offshore users: they choose it.
    expect(screen.getByLabelText('Country code')).toHaveValue('');
    await user.type(screen.getByLabelText('Mobile number'), '98765 43210');
    expect(screen.getByRole('link', { name: /Mobile number: Choose the country code/ })).toBeInTheDocument();
  });

  it('+86 with SMS delivery: the China warning and the manual path', async () => {
    resetStore({
      journey: journey({
        step: 'register',
        invitation: invitation({
          passwordDelivery: 'sms',
          requiredFields: ['username', 'firstName', 'lastName', 'mobile', 'department'],
        }),
      }),
    });
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.selectOptions(screen.getByLabelText('Country code'), 'CN');
    expect(screen.getByText('SMS to China (+86) numbers may be blocked')).toBeInTheDocument();
  });

  it('in Chinese: family name (姓) before given name (名), Chinese characters accepted, the username rule in Chinese, locale sent', async () => {
    await loadLocale('zh-CN');
    try {
      const user = userEvent.setup({ delay: null });
      mockBridge({ submitRegistration: () => Promise.resolve(journey({ step: 'account-created' })) });
      render(<Register />);
      const family = screen.getByLabelText(/^姓/);
      const given = screen.getByLabelText(/^名/);
      expect(family.compareDocumentPosition(given) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      expect(screen.getByText(/用户名长度为 3 至 64 个字符，须以英文字母开头/)).toBeInTheDocument();
      await user.type(screen.getByLabelText(/^用户名/), 'wei.zhang');
      await user.type(family, '张');
      await user.type(given, '伟');
      await user.type(screen.getByLabelText('手机号码'), '91234567');
      await user.type(screen.getByLabelText(/^部门/), '平台工程部');
      if (screen.queryByLabelText(/^密码/)) {
        await user.type(screen.getByLabelText(/^密码/), 'Blue-Harbour-42');
        await user.type(screen.getByLabelText(/^确认密码/), 'Blue-Harbour-42');
      }
      await user.click(screen.getByRole('button', { name: '注册' }));
      await vi.waitFor(() =>
        expect(callMock).toHaveBeenCalledWith(
          'submitRegistration',
          expect.objectContaining({ firstName: '伟', lastName: '张', locale: 'zh-CN' }),
        ),
      );
    } finally {
      await loadLocale('en');
    }
  });

  it('submitting then success: sends the §3.4 body with the host’s E.164 number and clears the passwords', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ submitRegistration: () => wait.promise });
    render(<Register />);
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await vi.waitFor(() =>
      expect(callMock).toHaveBeenCalledWith('submitRegistration', {
        username: 'jane.tan',
        firstName: 'Jane',
        lastName: 'Tan',
        mobile: '+6591234567',
        department: 'Engineering',
        password: 'Blue-Harbour-42',
      }),
    );
    expect(screen.getByText('Registering your account…')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
    expect(screen.getByLabelText(/^Confirm password/)).toHaveValue('');
    wait.resolve(journey({ step: 'account-created' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('account-created'));
    expect(JSON.stringify(useWizardStore.getState())).not.toContain('Blue-Harbour-42');
  });

  it('a slow check of the number: pressing Register shows no stale error on the number (nothing moves under the pointer), and the registration goes once the answer comes', async () => {
    // Seen in the end-to-end suite on a loaded machine: the answer for the complete number was still on its way when
    // the pointer went down on Register. Leaving the number showed the answer for a keystroke ago ("too short"), the
    // error line pushed the button down, the pointer came up elsewhere and the click never happened.
    const user = userEvent.setup({ delay: null });
    const answer = deferred<Awaited<ReturnType<typeof mobileNumberFacts>>>();
    mockBridge({
      checkMobileNumber: ({ input, country }) =>
        input.replace(/\D/g, '').endsWith('91234567') ? answer.promise : mobileNumberFacts(input, country),
    });
    render(<Register />);
    await user.type(screen.getByLabelText(/^Username/), 'jane.tan');
    await user.type(screen.getByLabelText(/^First name/), 'Jane');
    await user.type(screen.getByLabelText(/^Last name/), 'Tan');
    await user.type(screen.getByLabelText(/^Department/), 'Engineering');
    await user.type(screen.getByLabelText(/^Password/), 'Blue-Harbour-42');
    await user.type(screen.getByLabelText(/^Confirm password/), 'Blue-Harbour-42');
    await user.type(screen.getByLabelText('Mobile number'), '91234567');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    const number = screen.getByLabelText('Mobile number');
    expect(number).not.toHaveAttribute('aria-invalid');
    expect(number).not.toHaveAccessibleDescription(/short/i);
    expect(sentMethods()).not.toContain('submitRegistration');
    answer.resolve(mobileNumberFacts('91234567', 'SG'));
    await vi.waitFor(() =>
      expect(callMock).toHaveBeenCalledWith('submitRegistration', expect.objectContaining({ mobile: '+6591234567' })),
    );
    expect(number).not.toHaveAttribute('aria-invalid');
  });

  it('error: a taken username is shown on the field; other failures are announced', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      submitRegistration: () => {
        n += 1;
        return Promise.reject(n === 1 ? bridgeError('USERNAME_TAKEN') : bridgeError('INVITATION_EXPIRED'));
      },
    });
    render(<Register />);
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByText('Choose another username.', { selector: '.field-error' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('That username is taken.');
    // Focus goes to the error summary (not to <body>), which links to the field.
    await vi.waitFor(() => expect(document.getElementById('reg-error-summary')).toHaveFocus());
    expect(screen.getByRole('link', { name: /Username: Choose another username/ })).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/^Username/));
    await user.type(screen.getByLabelText(/^Username/), 'jane.tan2');
    await user.type(screen.getByLabelText(/^Password/), 'Blue-Harbour-42');
    await user.type(screen.getByLabelText(/^Confirm password/), 'Blue-Harbour-42');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation has expired' })).toBeInTheDocument();
  });
});

describe('Register: the mobile group', () => {
  beforeEach(() => {
    resetStore({
      journey: journey({ step: 'register', invitation: invitation({ businessOperation: 'offshore', odc: 'Others' }) }),
    });
    callMock.mockReset();
    mockBridge({});
  });

  it('moving from the country list to the number shows no error yet (nothing above the number appears, then vanishes)', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Register />);
    await user.click(screen.getByLabelText('Country code'));
    await user.tab();
    expect(screen.getByLabelText('Mobile number')).toHaveFocus();
    expect(screen.getByLabelText('Mobile number')).not.toHaveAttribute('aria-invalid');
    // Leaving the group does check it.
    await user.tab();
    expect(screen.getByLabelText('Mobile number')).toHaveAttribute('aria-invalid', 'true');
  });
});
