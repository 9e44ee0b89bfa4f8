import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TermsDocument } from '../../../../shared/contract';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { Terms } from './Terms';
import { loadLocale } from '../../i18n';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const docs = (): TermsDocument[] => [
  {
    id: 'privacy',
    version: '2025-11',
    title: 'Privacy Policy',
    body: 'We collect.\n\nWe protect.',
    required: true,
    accepted: false,
  },
  { id: 'terms-of-use', version: '3.1', title: 'Terms of Use', body: 'Use it well.', required: true, accepted: false },
  {
    id: 'mdm-aup',
    version: '4.0',
    title: 'MDM Acceptable Use Policy',
    body: 'Managed device rules.',
    required: true,
    accepted: false,
  },
];

describe('Terms', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'terms', signedIn: true }) });
    callMock.mockReset();
  });

  it('shows every document in full with its version, each in a keyboard-scrollable region', async () => {
    mockBridge({ getTerms: docs });
    render(<Terms />);
    expect(screen.getByText('Loading the documents…')).toBeInTheDocument();
    const privacy = await screen.findByRole('region', { name: 'Privacy Policy, full text' });
    expect(privacy).toHaveAttribute('tabindex', '0');
    expect(within(privacy).getByText('We protect.')).toBeInTheDocument();
    expect(screen.getByText('Version 2025-11')).toBeInTheDocument();
    expect(screen.getByText('Version 4.0')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Accept / })).toHaveLength(3);
  });

  it('accepts each document separately with its version', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ getTerms: docs, acceptTerm: () => wait.promise });
    render(<Terms />);
    await user.click(await screen.findByRole('button', { name: 'Accept Terms of Use' }));
    expect(callMock).toHaveBeenLastCalledWith('acceptTerm', { id: 'terms-of-use', version: '3.1', language: 'en' });
    expect(screen.getByText('Saving your acceptance…')).toBeInTheDocument();
    wait.resolve(journey({ step: 'terms' }));
    const section = screen.getByRole('heading', { name: 'Terms of Use' }).closest('section') as HTMLElement;
    expect(await within(section).findByText('Accepted')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Accept Privacy Policy' })).toBeEnabled();
    // Keyboard focus moves on to the next document still to accept.
    // (in an effect once the buttons are enabled again: waited for, not read in the same tick)
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept Privacy Policy' })),
    );
  });

  it('declining explains what it means', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ getTerms: docs });
    render(<Terms />);
    await user.click(await screen.findByRole('button', { name: 'Decline Privacy Policy' }));
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('You declined Privacy Policy');
    expect(alert).toHaveTextContent('You cannot use TechPass until you accept it');
    expect(callMock).not.toHaveBeenCalledWith('acceptTerm', expect.anything());
  });

  it('error: loading and accepting failures are announced; loading can be retried', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      getTerms: () => {
        n += 1;
        if (n === 1) throw bridgeError('OFFLINE');
        return docs();
      },
      acceptTerm: () => Promise.reject(bridgeError('SESSION_EXPIRED')),
    });
    render(<Terms />);
    expect(await screen.findByRole('alert')).toHaveTextContent('You are offline.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await user.click(await screen.findByRole('button', { name: 'Accept Privacy Policy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your session has expired.');
  });

  it('success: the host’s journey replaces the store’s when the last document is accepted', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      getTerms: () => docs().map((d) => ({ ...d, accepted: d.id !== 'mdm-aup' })),
      acceptTerm: () => journey({ step: 'verify', onboardingComplete: true }),
    });
    render(<Terms />);
    await user.click(await screen.findByRole('button', { name: 'Accept MDM Acceptable Use Policy' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('verify'));
  });

  it('in Chinese: the translation of the published version, the English one (which applies) a click away; the acceptance records the language shown', async () => {
    const user = userEvent.setup({ delay: null });
    await loadLocale('zh-CN');
    try {
      const published = (): TermsDocument[] => [
        {
          id: 'privacy',
          version: '2025.1',
          title: 'TechPass Privacy Statement',
          body: 'This statement explains.',
          required: true,
          accepted: false,
        },
        {
          id: 'terms-of-use',
          version: '2099.9',
          title: 'TechPass Terms of Use',
          body: 'A newer version.',
          required: true,
          accepted: false,
        },
      ];
      mockBridge({ getTerms: published, acceptTerm: () => Promise.resolve(journey({ step: 'terms' })) });
      render(<Terms />);
      const privacy = (await screen.findByRole('heading', { name: 'TechPass 隐私声明' })).closest(
        'section',
      ) as HTMLElement;
      expect(within(privacy).getByText('此中文译文仅供参考，以英文版本为准。')).toBeInTheDocument();
      // No translation of a version the app does not know: the English text, saying so.
      const terms = screen.getByRole('heading', { name: 'TechPass Terms of Use' }).closest('section') as HTMLElement;
      expect(within(terms).getByText('此版本仅提供英文。')).toBeInTheDocument();
      await user.click(within(privacy).getByRole('button', { name: '接受《TechPass 隐私声明》' }));
      expect(callMock).toHaveBeenLastCalledWith('acceptTerm', { id: 'privacy', version: '2025.1', language: 'zh-CN' });
      await user.click(within(terms).getByRole('button', { name: '接受《TechPass Terms of Use》' }));
      expect(callMock).toHaveBeenLastCalledWith('acceptTerm', {
        id: 'terms-of-use',
        version: '2099.9',
        language: 'en',
      });
    } finally {
      await loadLocale('en');
    }
  });

  it('in Chinese, "Show the English version" shows the binding text, and accepting it records English', async () => {
    const user = userEvent.setup({ delay: null });
    await loadLocale('zh-CN');
    try {
      mockBridge({
        getTerms: () => [
          {
            id: 'privacy',
            version: '2025.1',
            title: 'TechPass Privacy Statement',
            body: 'This statement explains.',
            required: true,
            accepted: false,
          },
        ],
        acceptTerm: () => Promise.resolve(journey({ step: 'terms' })),
      });
      render(<Terms />);
      await user.click(await screen.findByRole('button', { name: '查看英文版本（以此为准）' }));
      expect(screen.getByRole('heading', { name: 'TechPass Privacy Statement' })).toHaveAttribute('lang', 'en');
      expect(screen.getByText('This statement explains.')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: '接受《TechPass Privacy Statement》' }));
      expect(callMock).toHaveBeenLastCalledWith('acceptTerm', { id: 'privacy', version: '2025.1', language: 'en' });
      expect(screen.getByRole('button', { name: '查看中文译文' })).toBeInTheDocument();
    } finally {
      await loadLocale('en');
    }
  });
});
