import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeedReport } from '../../../../shared/domain/seed-report';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { DeviceCheck } from './DeviceCheck';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const report = (verdict: 'READY' | 'BLOCKED'): SeedReport => ({
  verdict,
  durationMs: 1200,
  platform: 'win32 10.0.22631',
  generatedAt: '2026-03-02T02:00:00Z',
  checks: [
    {
      id: 'SEED-01',
      status: 'PASS',
      title: 'Supported OS family',
      evidence: 'Windows 11 Pro',
      remediation: '',
      needsElevation: false,
    },
    ...(verdict === 'BLOCKED'
      ? [
          {
            id: 'SEED-08',
            status: 'FAIL' as const,
            title: 'No other MDM',
            evidence: 'Enrolled in contoso.com',
            remediation: 'Ask the IT team of contoso.com to release the device.',
            docUrl: 'https://docs.developer.tech.gov.sg/seed/mdm',
            needsElevation: true,
          },
        ]
      : []),
    {
      id: 'SEED-15',
      status: 'WARN',
      title: 'Disk encryption',
      evidence: 'Encryption in progress',
      remediation: 'Let BitLocker finish.',
      needsElevation: false,
    },
  ],
});

describe('DeviceCheck', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'device-check', seed: { state: 'PROVISIONED' } }) });
    callMock.mockReset();
  });

  it('empty: explains the check and the 3-business-day SEED email note before running', () => {
    render(<DeviceCheck />);
    expect(screen.getByText(/allow up to 3 business days/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check my device' })).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
  });

  it('running then a blocked report: pass/fail/warn per check with remediation, failures first', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<SeedReport>();
    mockBridge({ runSeedCheck: () => wait.promise });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Check my device' }));
    expect(screen.getByText('Checking your device…')).toBeInTheDocument();
    wait.resolve(report('BLOCKED'));
    expect(await screen.findByRole('heading', { name: 'Your device is not ready for SEED yet' })).toBeInTheDocument();
    expect(screen.getByText('3 checks: 1 passed, 1 failed, 1 with a warning.')).toBeInTheDocument();
    const items = screen.getAllByRole('listitem').filter((li) => li.classList.contains('check'));
    expect(items.map((li) => within(li).getByText(/^(Pass|Fail|Warning)$/).textContent)).toEqual([
      'Fail',
      'Warning',
      'Pass',
    ]);
    expect(within(items[0] as HTMLElement).getByText(/release the device/)).toBeInTheDocument();
    expect(within(items[0] as HTMLElement).getByText(/administrator rights/)).toBeInTheDocument();
    expect(
      within(items[0] as HTMLElement).getByRole('link', { name: /Read the guide: No other MDM/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Contact TechPass support/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check again' })).toBeInTheDocument();
  });

  it('counts add up (information and not-applicable counted); only FAIL and WARN ask for action; each WARN says how to clear it', async () => {
    const user = userEvent.setup({ delay: null });
    const base = report('BLOCKED');
    mockBridge({
      runSeedCheck: () => ({
        ...base,
        checks: [
          ...base.checks,
          {
            id: 'SEED-21',
            status: 'INFO',
            title: 'SEED+ controls',
            evidence: 'Offshore user',
            remediation: 'Expect SEED+ controls after onboarding.',
            needsElevation: false,
          },
          {
            id: 'SEED-10',
            status: 'N/A',
            title: 'Linux only check',
            evidence: 'Not Linux',
            remediation: 'Remove the other agent.',
            needsElevation: true,
          },
          {
            id: 'ACC-6',
            status: 'UNKNOWN',
            title: 'Maintenance window',
            evidence: 'Status feed unavailable',
            remediation: 'Start outside the window.',
            needsElevation: false,
          },
        ],
      }),
    });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Check my device' }));
    expect(
      await screen.findByText(
        '6 checks: 1 passed, 1 failed, 1 with a warning, 1 could not be checked, 1 for your information, 1 do not apply.',
      ),
    ).toBeInTheDocument();
    const item = (id: string) => screen.getByText(id).closest('li') as HTMLElement;
    for (const id of ['SEED-21', 'SEED-10', 'ACC-6', 'SEED-01']) {
      expect(within(item(id)).queryByText(/What to do/)).not.toBeInTheDocument();
      expect(within(item(id)).queryByRole('link', { name: /Read the guide/ })).not.toBeInTheDocument();
    }
    expect(
      within(item('SEED-15')).getByText('Wait until disk encryption has finished, then check again.'),
    ).toBeInTheDocument();
  });

  it('the SEED-16 warning can be confirmed: ticking runs the check again with the attestation, and it is kept', async () => {
    const user = userEvent.setup({ delay: null });
    const requests: unknown[] = [];
    const seed16 = (confirmed: boolean): SeedReport => ({
      ...report('READY'),
      checks: [
        {
          id: 'SEED-16',
          status: confirmed ? 'PASS' : 'WARN',
          title: 'Recovery keys and device password at hand',
          evidence: confirmed ? 'You confirmed.' : 'Not confirmed yet.',
          remediation: 'Keep your recovery key at hand.',
          needsElevation: false,
        },
      ],
    });
    mockBridge({
      runSeedCheck: (r) => {
        requests.push(r);
        return seed16(r.attestations?.recoveryKeysReady === true);
      },
    });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Check my device' }));
    const box = await screen.findByRole('checkbox', { name: 'I have my recovery key and device password at hand' });
    expect(screen.getByText(/tick the confirmation under this check/)).toBeInTheDocument();
    await user.click(box);
    await vi.waitFor(() => expect(screen.getByText('1 check: 1 passed.')).toBeInTheDocument());
    expect(screen.getByRole('checkbox', { name: /recovery key/ })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await vi.waitFor(() => expect(requests).toHaveLength(3));
    expect(requests[2]).toEqual({ attestations: { recoveryKeysReady: true } });
  });

  it('re-check replaces the report; ready lets the user continue to done', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ journey: journey({ step: 'device-check', seedReport: report('BLOCKED') }) });
    mockBridge({ runSeedCheck: () => report('READY'), navigate: (r) => journey({ step: r.to }) });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('heading', { name: 'Your device is ready for SEED' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('done'));
  });

  it('export: the web host’s content becomes a Blob download; Electron’s saved path is reported', async () => {
    const user = userEvent.setup({ delay: null });
    const createObjectURL = vi.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download}|${this.href}`);
    });
    let n = 0;
    resetStore({ journey: journey({ step: 'device-check', seedReport: report('READY') }) });
    mockBridge({
      exportSeedReport: (r) => {
        n += 1;
        return n === 1
          ? { saved: false, filename: `seed-report.${r.format}`, content: '<html>report</html>', mimeType: 'text/html' }
          : {
              saved: true,
              path: '/home/jane/Downloads/seed-report.txt',
              filename: 'seed-report.txt',
              mimeType: 'text/plain',
            };
      },
    });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Save report' }));
    expect(callMock).toHaveBeenLastCalledWith('exportSeedReport', { format: 'html' });
    expect(await screen.findByText('Report downloaded as seed-report.html.')).toBeInTheDocument();
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicks).toEqual(['seed-report.html|blob:report']);
    await user.selectOptions(screen.getByLabelText('File format'), 'text');
    await user.click(screen.getByRole('button', { name: 'Save report' }));
    expect(callMock).toHaveBeenLastCalledWith('exportSeedReport', { format: 'text' });
    expect(await screen.findByText('Report saved to /home/jane/Downloads/seed-report.txt.')).toBeInTheDocument();
    click.mockRestore();
  });

  it('error: a failed check is announced and can be retried', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      runSeedCheck: () => {
        n += 1;
        if (n === 1) throw bridgeError('UNEXPECTED');
        return report('READY');
      },
    });
    render(<DeviceCheck />);
    await user.click(screen.getByRole('button', { name: 'Check my device' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Something unexpected went wrong.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Your device is ready for SEED' })).toBeInTheDocument();
  });
});
