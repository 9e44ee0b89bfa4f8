import { useEffect, useState } from 'react';
import type { InvitationSummary, RegistrationForm } from '../../../../shared/contract';
import type { BridgeError } from '../../../../shared/domain/errors';
import type { FieldProblem } from '../../../../shared/domain/field-problems';
import type { MobileNumberFacts } from '../../../../shared/domain/mobile-check';
import { checkPassword } from '../../../../shared/domain/password-policy';
import {
  departmentProblem,
  emailFormatProblem,
  firstNameProblem,
  lastNameProblem,
  loginIdFor,
  offshoreCompanyAddressProblem,
  offshoreReportingOfficerNameProblem,
  ODC_OTHERS,
  orgEmailProblem,
  usernameProblem,
} from '../../../../shared/domain/registration-rules';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ChinaWarning } from '../../components/ChinaWarning';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { MobileInput, mobileMessage, useMobileCheck, type MobileValue } from '../../components/MobileInput';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { asError, useAction } from '../../components/useAction';
import { activeLocale, familyNameFirst, fieldProblemText, format, formatDateTime, isLocale, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

const INVITATION_CODES = [
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'INVITATION_SUPERSEDED',
  'INVITATION_REVOKED',
] as const;
type InvitationCode = (typeof INVITATION_CODES)[number];
const isInvitationCode = (c: string): c is InvitationCode => (INVITATION_CODES as readonly string[]).includes(c);

/** Expired, used, superseded or withdrawn invitation: what happened and who to ask. */
function InvitationProblem({ code, onAnother }: { code: InvitationCode; onAnother: () => void }): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const action = useAction();
  const m = t.register.invitation[code];
  return (
    <>
      <StepHeading focusOnMount>{m.title}</StepHeading>
      <div className="alert alert-warning">
        <p>{m.body}</p>
        <p>
          <strong>{t.errors.whatNext}</strong> {m.next}
        </p>
      </div>
      {action.error && <ErrorAlert error={action.error} />}
      <div className="actions">
        {code === 'INVITATION_USED' && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'sign-in' })))}
          >
            {t.register.goToSignIn}
          </button>
        )}
        <button type="button" className="btn btn-secondary" onClick={onAnother}>
          {t.register.pasteAnother}
        </button>
      </div>
      <SupportLink code={code} />
    </>
  );
}

/** A pasted https:// or techpass-onboarding:// link, or the bare token. */
function PasteLink({
  onProblem,
  onOpened,
}: {
  onProblem: (code: InvitationCode) => void;
  onOpened: () => void;
}): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const [link, setLink] = useState('');
  const [touched, setTouched] = useState(false);
  // The link the host refused (not a registration link, or no such invitation): the field is marked invalid.
  const [refused, setRefused] = useState<string | undefined>();
  const action = useAction();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setRefused(undefined);
    if (!link.trim()) return;
    let failure: BridgeError | undefined;
    void action
      .run(async () => {
        try {
          setJourney(await call('openInvitation', { link: link.trim() }));
        } catch (err) {
          failure = (err as { error?: BridgeError }).error;
          throw err;
        }
      })
      .then(() => {
        if (!failure) onOpened();
        else if (isInvitationCode(failure.code)) onProblem(failure.code);
        else if (failure.code === 'INVALID_LINK' || failure.code === 'NOT_FOUND') {
          setRefused(fieldProblemText(failure.fields?.link) ?? t.errors.codes[failure.code].next);
        }
      });
  };
  return (
    <>
      <StepHeading>{t.register.pasteTitle}</StepHeading>
      <p>{t.register.pasteIntro}</p>
      <form noValidate onSubmit={submit}>
        <Field
          id="reg-link"
          label={t.register.linkLabel}
          hint={t.register.linkHint}
          required
          spellCheck={false}
          autoComplete="off"
          error={touched && !link.trim() ? t.register.linkEmpty : refused}
          value={link}
          onChange={(e) => {
            setLink(e.target.value);
            setRefused(undefined);
          }}
        />
        {action.error && <ErrorAlert error={action.error} focusOnShow />}
        <BusySlot busy={action.busy} label={t.working} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {t.register.open}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={action.busy}
            onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'welcome' })))}
          >
            {t.back}
          </button>
        </div>
      </form>
    </>
  );
}

function InvitationDetails({ inv }: { inv: InvitationSummary }): React.JSX.Element {
  const r = t.register;
  return (
    <section aria-labelledby="inv-heading" className="panel">
      <h2 id="inv-heading">{r.summaryTitle}</h2>
      <dl className="summary">
        <dt>{r.invitedEmail}</dt>
        <dd data-i18n-external>{inv.emailMasked}</dd>
        <dt>{r.businessOperation}</dt>
        <dd>{inv.businessOperation === 'offshore' ? r.offshore : r.onshore}</dd>
        {inv.odc && (
          <>
            <dt>{r.odc}</dt>
            <dd>{inv.odc === ODC_OTHERS ? r.odcOthers : inv.odc}</dd>
          </>
        )}
        {inv.offshoreCompanyName && (
          <>
            <dt>{r.offshoreCompanyName}</dt>
            <dd data-i18n-external>{inv.offshoreCompanyName}</dd>
          </>
        )}
        {inv.sponsoringAgency && (
          <>
            <dt>{r.sponsoringAgency}</dt>
            <dd data-i18n-external>{inv.sponsoringAgency}</dd>
          </>
        )}
        <dt>{r.seed}</dt>
        <dd>{inv.seedRequested ? r.seedYes : r.seedNo}</dd>
        <dt>{r.passwordDelivery}</dt>
        <dd>{inv.passwordDelivery === 'sms' ? r.deliverySms : r.deliverySelfSet}</dd>
        <dt>{r.linkExpires}</dt>
        <dd>{formatDateTime(inv.expiresAt)}</dd>
      </dl>
      <p className="hint">{r.readOnlyNote}</p>
    </section>
  );
}

type FieldName =
  | 'username'
  | 'firstName'
  | 'lastName'
  | 'mobile'
  | 'department'
  | 'password'
  | 'confirm'
  | 'roName'
  | 'roEmail'
  | 'companyAddress';

interface Values {
  username: string;
  firstName: string;
  lastName: string;
  mobile: MobileValue;
  department: string;
  password: string;
  confirm: string;
  roName: string;
  roEmail: string;
  companyAddress: string;
}

/**
 * Live, field-by-field checks with the shared §3.4 rules, the mobile number included (the host's answer from the rule
 * it and the backend run, so what passes here passes there; nothing is said about it before that answer).
 */
export function validateRegistration(v: Values, inv: InvitationSummary, mobile: MobileNumberFacts | undefined) {
  const needs = new Set(inv.requiredFields);
  const errors: Partial<Record<FieldName, string>> = {};
  errors.username = fieldProblemText(usernameProblem(v.username));
  errors.firstName = fieldProblemText(firstNameProblem(v.firstName));
  errors.lastName = fieldProblemText(lastNameProblem(v.lastName));
  errors.department = fieldProblemText(departmentProblem(v.department));
  errors.mobile = mobile ? mobileMessage(mobile) : undefined;
  if (needs.has('password')) {
    const check = checkPassword(v.password, {
      username: v.username,
      names: [v.firstName, v.lastName],
      confirm: v.confirm,
    });
    if (check.failed.some((f) => f !== 'confirm-matches')) errors.password = t.checklist.fix;
    if (v.confirm !== v.password) errors.confirm = t.checklist.rules['confirm-matches'];
  }
  if (needs.has('offshoreReportingOfficer')) {
    errors.roName = fieldProblemText(offshoreReportingOfficerNameProblem(v.roName));
    errors.roEmail = fieldProblemText(emailFormatProblem(v.roEmail) ?? orgEmailProblem(v.roEmail));
  }
  if (needs.has('offshoreCompanyAddress'))
    errors.companyAddress = fieldProblemText(offshoreCompanyAddressProblem(v.companyAddress));
  for (const k of Object.keys(errors) as FieldName[]) if (!errors[k]) delete errors[k];
  return errors;
}

/** Server field names (the API's, dotted for nested ones) → this form's fields; the rest go to the summary as text. */
const SERVER_FIELD: Record<string, FieldName> = {
  username: 'username',
  firstName: 'firstName',
  lastName: 'lastName',
  mobile: 'mobile',
  department: 'department',
  password: 'password',
  'offshoreReportingOfficer.name': 'roName',
  'offshoreReportingOfficer.email': 'roEmail',
  offshoreReportingOfficer: 'roName',
  offshoreCompanyAddress: 'companyAddress',
};

function mapServerFields(fields: Readonly<Record<string, FieldProblem>>): {
  mapped: Partial<Record<FieldName, string>>;
  general: string[];
} {
  const mapped: Partial<Record<FieldName, string>> = {};
  const general: string[] = [];
  for (const [k, problem] of Object.entries(fields)) {
    const f = SERVER_FIELD[k] ?? SERVER_FIELD[k.split('.')[0] ?? ''];
    const text = fieldProblemText(problem);
    if (f) mapped[f] ??= text;
    else general.push(text);
  }
  return { mapped, general };
}

function RegistrationFormView({
  inv,
  onProblem,
}: {
  inv: InvitationSummary;
  onProblem: (code: InvitationCode) => void;
}): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const r = t.register;
  const needs = new Set(inv.requiredFields);
  const [v, setV] = useState<Values>({
    username: '',
    firstName: '',
    lastName: '',
    // Offshore users choose their country code themselves; guessing it would be wrong for most.
    mobile: { iso: inv.businessOperation === 'offshore' ? '' : 'SG', number: '' },
    department: '',
    password: '',
    confirm: '',
    roName: '',
    roEmail: '',
    companyAddress: '',
  });
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  // Server objections that name no field of this form: listed in the summary so nothing is "highlighted" unseen.
  const [serverGeneral, setServerGeneral] = useState<string[]>([]);
  // Bumped to move focus to the error summary once it has rendered (after a submit or a server answer).
  const [focusSummary, setFocusSummary] = useState(0);
  const action = useAction();
  useEffect(() => {
    if (focusSummary > 0) document.getElementById('reg-error-summary')?.focus();
  }, [focusSummary]);

  const mobileAnswer = useMobileCheck(v.mobile);
  // The number's error comes from the answer for what is entered now (see MobileAnswer.settled).
  const errors = { ...validateRegistration(v, inv, mobileAnswer.settled), ...serverErrors };
  const shown = (f: FieldName) => (submitted || touched[f] ? errors[f] : undefined);
  const set = <K extends keyof Values>(k: K, value: Values[K]) => {
    setV((prev) => ({ ...prev, [k]: value }));
    setServerErrors((prev) => {
      const next = { ...prev };
      delete next[k];
      return next;
    });
  };
  const blur = (f: FieldName) => () => setTouched((prev) => ({ ...prev, [f]: true }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setServerGeneral([]);
    let facts: MobileNumberFacts;
    try {
      facts = await mobileAnswer.current();
    } catch (err) {
      await action.run(() => Promise.reject(asError(err)));
      return;
    }
    const { check } = facts;
    const errs = validateRegistration(v, inv, facts);
    if (Object.keys(errs).length > 0 || Object.keys(serverErrors).length > 0 || !check.valid || !check.e164) {
      setFocusSummary((n) => n + 1);
      return;
    }
    const form: RegistrationForm = {
      username: v.username.trim().toLowerCase(),
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      mobile: check.e164,
      department: v.department.trim(),
    };
    const locale = activeLocale();
    // The account's emails and SMS follow the language the user registered in. English is the service's default, so
    // it is said by leaving the field out (a service that predates languages then accepts the form as before).
    if (isLocale(locale) && locale !== 'en') form.locale = locale;
    if (needs.has('password')) form.password = v.password;
    if (needs.has('offshoreReportingOfficer'))
      form.offshoreReportingOfficer = { name: v.roName.trim(), email: v.roEmail.trim() };
    if (needs.has('offshoreCompanyAddress')) form.offshoreCompanyAddress = v.companyAddress.trim();
    // Passwords leave memory as soon as the request is on its way.
    setV((prev) => ({ ...prev, password: '', confirm: '' }));
    let failure: BridgeError | undefined;
    await action.run(async () => {
      try {
        setJourney(await call('submitRegistration', form));
      } catch (err) {
        failure = (err as { error?: BridgeError }).error;
        throw err;
      }
    });
    if (!failure) return;
    if (isInvitationCode(failure.code)) {
      onProblem(failure.code);
      return;
    }
    if (failure.code === 'USERNAME_TAKEN') {
      setServerErrors({ username: t.errors.codes.USERNAME_TAKEN.next });
      setFocusSummary((n) => n + 1);
    } else if (failure.fields && Object.keys(failure.fields).length > 0) {
      const { mapped, general } = mapServerFields(failure.fields);
      setServerErrors(mapped);
      setServerGeneral(general);
      // Every objection is now on its field (or listed in the summary): no "check the highlighted fields" alert.
      action.clear();
      setFocusSummary((n) => n + 1);
    }
  };

  const summary = submitted ? (Object.entries(errors) as [FieldName, string][]) : [];
  const idFor: Record<FieldName, string> = {
    username: 'reg-username',
    firstName: 'reg-first',
    lastName: 'reg-last',
    mobile: 'reg-mobile',
    department: 'reg-department',
    password: 'reg-password',
    confirm: 'reg-confirm',
    roName: 'reg-ro-name',
    roEmail: 'reg-ro-email',
    companyAddress: 'reg-address',
  };
  const labelFor: Record<FieldName, string> = {
    username: r.username,
    firstName: r.firstName,
    lastName: r.lastName,
    mobile: r.mobileLegend,
    department: r.department,
    password: r.password,
    confirm: r.confirmPassword,
    roName: r.roName,
    roEmail: r.roEmail,
    companyAddress: r.companyAddress,
  };
  const givenName = (
    <Field
      key="firstName"
      id="reg-first"
      label={r.firstName}
      required
      autoComplete="given-name"
      error={shown('firstName')}
      value={v.firstName}
      onChange={(e) => set('firstName', e.target.value)}
      onBlur={blur('firstName')}
    />
  );
  const familyName = (
    <Field
      key="lastName"
      id="reg-last"
      label={r.lastName}
      required
      autoComplete="family-name"
      error={shown('lastName')}
      value={v.lastName}
      onChange={(e) => set('lastName', e.target.value)}
      onBlur={blur('lastName')}
    />
  );
  // Chinese order (姓, then 名) in Chinese; the given name first in English.
  const nameFields = familyNameFirst() ? [familyName, givenName] : [givenName, familyName];

  const showChina = (!!mobileAnswer.facts?.check.isChina || v.mobile.iso === 'CN') && inv.passwordDelivery === 'sms';

  return (
    <>
      <StepHeading focusOnMount>{r.title}</StepHeading>
      <InvitationDetails inv={inv} />
      <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby="reg-form-heading">
        <h2 id="reg-form-heading">{r.formTitle}</h2>
        <div id="reg-error-summary" tabIndex={-1} aria-live="polite">
          {(summary.length > 0 || serverGeneral.length > 0) && (
            <div className="alert alert-danger error-summary">
              <p className="alert-title">{r.errorSummary}</p>
              <ul>
                {summary.map(([f, msg]) => (
                  <li key={f}>
                    <a href={`#${idFor[f]}`}>
                      {labelFor[f]}
                      {t.labelSep}
                      {msg}
                    </a>
                  </li>
                ))}
                {serverGeneral.map((msg) => (
                  <li key={msg}>{msg}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <Field
          id="reg-username"
          label={r.username}
          hint={format(r.usernameHint, { example: loginIdFor(v.username.trim() || 'jane.tan') })}
          required
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          error={shown('username')}
          value={v.username}
          onChange={(e) => set('username', e.target.value)}
          onBlur={blur('username')}
        />
        {nameFields}
        <MobileInput
          id="reg-mobile"
          value={v.mobile}
          answer={mobileAnswer}
          hint={r.mobileHint}
          error={shown('mobile')}
          onChange={(m) => set('mobile', m)}
          onBlur={blur('mobile')}
        />
        <Field
          id="reg-department"
          label={r.department}
          required
          autoComplete="organization-title"
          error={shown('department')}
          value={v.department}
          onChange={(e) => set('department', e.target.value)}
          onBlur={blur('department')}
        />
        {needs.has('offshoreReportingOfficer') && (
          <fieldset className="group">
            <legend>{r.offshoreTitle}</legend>
            <p className="hint">{r.offshoreIntro}</p>
            {inv.offshoreCompanyName && <p>{format(r.offshoreFromInvitation, { company: inv.offshoreCompanyName })}</p>}
            <Field
              id="reg-ro-name"
              label={r.roName}
              required
              error={shown('roName')}
              value={v.roName}
              onChange={(e) => set('roName', e.target.value)}
              onBlur={blur('roName')}
            />
            <Field
              id="reg-ro-email"
              label={r.roEmail}
              type="email"
              required
              error={shown('roEmail')}
              value={v.roEmail}
              onChange={(e) => set('roEmail', e.target.value)}
              onBlur={blur('roEmail')}
            />
            {needs.has('offshoreCompanyAddress') && (
              <Field
                id="reg-address"
                label={r.companyAddress}
                required
                autoComplete="street-address"
                error={shown('companyAddress')}
                value={v.companyAddress}
                onChange={(e) => set('companyAddress', e.target.value)}
                onBlur={blur('companyAddress')}
              />
            )}
          </fieldset>
        )}
        {needs.has('password') && (
          <>
            <Field
              id="reg-password"
              label={r.password}
              type="password"
              required
              autoComplete="new-password"
              error={shown('password')}
              value={v.password}
              onChange={(e) => set('password', e.target.value)}
              onBlur={blur('password')}
            />
            <Field
              id="reg-confirm"
              label={r.confirmPassword}
              type="password"
              required
              autoComplete="new-password"
              error={shown('confirm')}
              value={v.confirm}
              onChange={(e) => set('confirm', e.target.value)}
              onBlur={blur('confirm')}
            />
            <PasswordChecklist
              id="reg-checklist"
              password={v.password}
              context={{ username: v.username, names: [v.firstName, v.lastName], confirm: v.confirm }}
            />
          </>
        )}
        {/* After every field (never between two of them): it appears as the number is typed, and a warning with its own
            link and disclosure mid-form put keyboard users' next keystrokes into the wrong control. */}
        {showChina && <ChinaWarning />}
        {action.error && <ErrorAlert error={action.error} focusOnShow />}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {r.submit}
          </button>
        </div>
        <BusySlot busy={action.busy} label={r.submitting} />
      </form>
    </>
  );
}

/** Step 2: open the invitation (deep link, pasted link or token), then the §3.4 form. */
export function Register(): React.JSX.Element {
  const journey = useWizardStore((s) => s.journey);
  const [problem, setProblem] = useState<InvitationCode | undefined>();
  const [pasteAnother, setPasteAnother] = useState(false);
  if (problem) {
    return (
      <InvitationProblem
        code={problem}
        onAnother={() => {
          setProblem(undefined);
          setPasteAnother(true);
        }}
      />
    );
  }
  const inv = journey?.invitation;
  if (!inv || pasteAnother) {
    return (
      <PasteLink
        onOpened={() => setPasteAnother(false)}
        onProblem={(c) => {
          setPasteAnother(false);
          setProblem(c);
        }}
      />
    );
  }
  return <RegistrationFormView inv={inv} onProblem={setProblem} />;
}
