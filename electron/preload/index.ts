import { contextBridge, ipcRenderer } from 'electron';
import { buildOnboardingApi } from './api';

contextBridge.exposeInMainWorld(
  'onboarding',
  buildOnboardingApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    (channel, listener) => {
      const wrapped = (): void => listener();
      ipcRenderer.on(channel, wrapped);
      return () => ipcRenderer.removeListener(channel, wrapped);
    },
  ),
);
