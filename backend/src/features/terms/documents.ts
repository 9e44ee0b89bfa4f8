/** The versioned terms documents (domain.md §4.5). The body is the full readable text the wizard shows. */
export interface TermsDocument {
  id: 'privacy' | 'terms-of-use' | 'mdm-aup';
  version: string;
  title: string;
  body: string;
}

export const TERMS_DOCUMENTS: readonly TermsDocument[] = [
  {
    id: 'privacy',
    version: '2025.1',
    title: 'TechPass Privacy Statement',
    body: [
      'This statement explains how TechPass, operated by GovTech Singapore, handles your personal data.',
      '1. What we collect. Your name, organisational email address, mobile number, department, username, and records of your sign-ins (time, device and network address). If you are an offshore user we also hold your reporting officer’s name and email and your company address.',
      '2. Why we collect it. To create and secure your TechPass account, to verify that it is you when you sign in (multi-factor authentication), to send you account and security notices, and to meet audit and legal requirements of the Singapore Government.',
      '3. Who sees it. Authorised TechPass administrators, the public officer who invited you, and service providers bound by confidentiality who operate the service. We do not sell your data.',
      '4. How long we keep it. For as long as your account exists and, after the account is deleted, for as long as audit rules require.',
      '5. Your choices. You may ask to see or correct your personal data by raising a TechPass service request. Some details cannot be changed after registration; support will help.',
      '6. Security. Passwords are stored only as salted hashes. Codes and links we send you expire quickly. Never share your password or codes with anyone, including people who claim to be from TechPass.',
    ].join('\n\n'),
  },
  {
    id: 'terms-of-use',
    version: '2025.1',
    title: 'TechPass Terms of Use',
    body: [
      'By using TechPass you agree to these terms.',
      '1. Your account is personal. Do not share your username, password or authenticator with anyone. You are responsible for everything done with your account.',
      '2. Use TechPass only for the government work you were invited or approved for, and only in line with the policies of the agency that sponsors you.',
      '3. Keep your details current. Tell your project manager or reporting officer when you leave the project or your organisation, so that your account can be closed.',
      '4. Inactive accounts are disabled after 90 days without a sign-in and closed after 180 days. Accounts that are not activated within 30 days are closed.',
      '5. Report anything suspicious at once, for example a sign-in prompt you did not start: choose "No, it’s not me", then Report.',
      '6. GovTech may suspend or close an account that breaks these terms, and may change these terms; you will be asked to accept a new version when that happens.',
    ].join('\n\n'),
  },
  {
    id: 'mdm-aup',
    version: '4.0',
    title: 'SEED Mobile Device Management Acceptable Use Policy (v4.0)',
    body: [
      'This policy applies when you onboard an Internet device to SEED (Security Suite for Engineering Endpoint Devices).',
      '1. Management. Your device will be enrolled in Microsoft Intune and will run Microsoft Defender for Endpoint, Tanium and Cloudflare WARP. These tools let the SEED team check the device’s security settings, install updates and security software, and see the device’s name, model, serial number, operating system version and installed software. They do not read your personal files, messages or browsing content.',
      '2. Your duties. Keep the operating system within the supported baseline and install patches when asked; keep disk encryption and system protection on; do not remove, disable or tamper with the management or security agents; do not onboard more than one device; use a personal local administrator account.',
      '3. Non-compliance. A device that falls below the baseline gets 7 days to comply and is then blocked from government services. A device not used for 90 days may be removed from management; after 180 days its record is deleted.',
      '4. Offboarding. When you leave the project or no longer need SEED, offboard the device. Removal of management does not erase your personal data.',
      '5. Incidents. Report a lost or stolen device to TechPass support at once.',
    ].join('\n\n'),
  },
];

export function termsDoc(id: string): TermsDocument | undefined {
  return TERMS_DOCUMENTS.find((d) => d.id === id);
}
