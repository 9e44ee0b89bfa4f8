import { create } from 'zustand';
import type { BackendStatus, JourneyState, OrgSettings, Response } from '../../../shared/contract';
import type { BridgeError } from '../../../shared/domain/errors';
import { BridgeCallError, call } from '../bridge';

type AppInfo = Response<'getAppInfo'>;

/** Turns anything thrown by a bridge call into the typed error the wizard shows. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeCallError) return err.error;
  return { code: 'UNEXPECTED' };
}

/**
 * UI state only: nothing secret (no password, code or TOTP secret ever enters this store) and nothing persisted.
 * The host owns the journey; the store keeps the last JourneyState the host returned so every step can read it.
 */
export interface WizardState {
  appInfo?: AppInfo;
  backend?: BackendStatus;
  backendLoading: boolean;
  org?: OrgSettings;
  journey?: JourneyState;
  journeyLoading: boolean;
  journeyError?: BridgeError;
  /** The step on which this run showed the "no keychain" notice (it is shown there only, once per run). */
  keychainNoticeStep?: JourneyState['step'];
  // Actions as function properties, not methods: components take them out of the store (`const { loadJourney } =
  // useWizardStore()`), and none of them uses `this`.
  loadAppInfo: () => Promise<void>;
  refreshBackend: () => Promise<void>;
  loadOrg: () => Promise<void>;
  loadJourney: () => Promise<void>;
  setJourney: (journey: JourneyState) => void;
  noteKeychainNoticeShown: (step: JourneyState['step']) => void;
}

export const useWizardStore = create<WizardState>((set) => ({
  backendLoading: false,
  journeyLoading: false,
  async loadAppInfo() {
    try {
      set({ appInfo: await call('getAppInfo', {}) });
    } catch {
      // The version line is informative only; the backend panel reports an unreachable host.
    }
  },
  async refreshBackend() {
    set({ backendLoading: true });
    try {
      set({ backend: await call('getBackendStatus', {}) });
    } catch (err) {
      set({ backend: { reachable: false, url: '', error: toBridgeError(err) } });
    } finally {
      set({ backendLoading: false });
    }
  },
  async loadOrg() {
    try {
      set({ org: await call('getOrgSettings', {}) });
    } catch {
      // The support link falls back to the documented service desk address.
    }
  },
  async loadJourney() {
    set({ journeyLoading: true });
    try {
      set({ journey: await call('getJourney', {}), journeyError: undefined });
    } catch (err) {
      set({ journeyError: toBridgeError(err) });
    } finally {
      set({ journeyLoading: false });
    }
  },
  setJourney(journey) {
    set({ journey, journeyError: undefined });
  },
  noteKeychainNoticeShown(step) {
    set((s) => (s.keychainNoticeStep === undefined ? { keychainNoticeStep: step } : {}));
  },
}));
