import { create } from 'zustand';
import type { BackendStatus, Response } from '../../../shared/contract';
import { BridgeCallError, call } from '../bridge';

type AppInfo = Response<'getAppInfo'>;

/** UI state only: nothing secret and nothing persisted. The host owns the journey. */
interface WizardState {
  appInfo?: AppInfo;
  backend?: BackendStatus;
  backendLoading: boolean;
  loadAppInfo(): Promise<void>;
  refreshBackend(): Promise<void>;
}

export const useWizardStore = create<WizardState>((set) => ({
  backendLoading: false,
  async loadAppInfo() {
    set({ appInfo: await call('getAppInfo', {}) });
  },
  async refreshBackend() {
    set({ backendLoading: true });
    try {
      set({ backend: await call('getBackendStatus', {}) });
    } catch (err) {
      const error = err instanceof BridgeCallError ? err.error : { code: 'UNEXPECTED' as const, message: String(err) };
      set({ backend: { reachable: false, url: '', error } });
    } finally {
      set({ backendLoading: false });
    }
  },
}));
