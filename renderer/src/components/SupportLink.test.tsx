import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { callMock, journey, mockBridge, resetStore } from '../test-utils';
import { SupportLink, supportDetails, supportUrl } from './SupportLink';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

describe('SupportLink', () => {
  it('opens the organisation’s support URL through the host and lists the details support needs', async () => {
    const user = userEvent.setup({ delay: null });
    callMock.mockReset();
    resetStore({
      appInfo: { name: 'TechPass Onboarding', version: '0.1.0', platform: 'win32', host: 'electron' },
      journey: journey({
        step: 'phone',
        loginId: 'priya.raman@techpass.gov.sg',
        correlationId: '5b0e7c1a-2f4d-4c3b-9a8e-1d2c3b4a5f60',
      }),
      org: {
        organisationName: 'GovTech',
        supportUrl: 'https://support.example/portal',
        docsUrl: 'https://docs',
        locale: 'en-SG',
      },
    });
    mockBridge({ openExternal: () => ({ opened: true }) });
    render(<SupportLink code="E-MFA-SMS-CODE" />);
    const link = screen.getByRole('link', { name: /Contact TechPass support/ });
    expect(link.getAttribute('href')).toMatch(/^https:\/\/support\.example\/portal\?summary=/);
    await user.click(link);
    expect(callMock).toHaveBeenCalledWith('openExternal', { url: link.getAttribute('href') });
    await user.click(screen.getByText('Details to give support'));
    const details = screen.getByText('Details to give support').closest('details') as HTMLElement;
    expect(within(details).getByText('priya.raman@techpass.gov.sg')).toBeVisible();
    expect(within(details).getByText('E-MFA-SMS-CODE')).toBeVisible();
    expect(within(details).getByText('Phone')).toBeVisible();
    // The journey's correlation id: the backend's request lines carry it, so support finds them.
    expect(within(details).getByText('Journey ID (for the support team)')).toBeVisible();
    expect(within(details).getByText('5b0e7c1a-2f4d-4c3b-9a8e-1d2c3b4a5f60')).toBeVisible();
    expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain(
      'Journey ID (for the support team): 5b0e7c1a-2f4d-4c3b-9a8e-1d2c3b4a5f60',
    );
  });
});

describe('supportUrl', () => {
  it('pre-fills the step, error code, TechPass ID, version and time, and never anything else', () => {
    const ctx = {
      step: 'Sign in',
      code: 'ACCOUNT_LOCKED',
      loginId: 'jane.tan@techpass.gov.sg',
      version: '0.1.0',
      platform: 'win32',
      time: '2026-03-02T02:00:00.000Z',
    };
    const url = new URL(supportUrl('https://go.gov.sg/seed-techpass-support', ctx));
    expect(url.origin + url.pathname).toBe('https://go.gov.sg/seed-techpass-support');
    expect(url.searchParams.get('summary')).toBe('TechPass onboarding: Sign in (ACCOUNT_LOCKED)');
    expect(url.searchParams.get('description')).toBe(
      'Step: Sign in\nError code: ACCOUNT_LOCKED\nTechPass ID: jane.tan@techpass.gov.sg\nApp version: 0.1.0\nPlatform: win32\nTime: 2026-03-02T02:00:00.000Z',
    );
  });

  it('leaves out what it does not know and appends to an existing query', () => {
    expect(supportDetails({ step: 'Start', time: 't' })).toEqual([
      ['Step', 'Start'],
      ['Time', 't'],
    ]);
    expect(supportUrl('https://x.example/?a=1', { step: 'Start', time: 't' })).toMatch(
      /^https:\/\/x\.example\/\?a=1&summary=/,
    );
  });
});
