import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { METHOD_NAMES, channelFor, type Envelope, type Handlers } from '../../shared/contract';
import { dispatch, type DispatchLogger } from '../host/dispatch';

export const APP_ORIGIN = 'app://onboarding';

/**
 * A message is trusted only when it comes from the main frame of one of our windows showing our own origin
 * (not an iframe, not a page that navigated elsewhere).
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>,
  isOurWebContents: (id: number) => boolean,
  devServerOrigin?: string,
): boolean {
  const frame: WebFrameMain | null = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  if (!isOurWebContents(event.sender.id)) return false;
  if (frame !== event.sender.mainFrame) return false;
  let origin: string;
  try {
    const url = new URL(frame.url);
    origin = url.protocol === 'app:' ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return false;
  }
  return origin === APP_ORIGIN || (devServerOrigin !== undefined && origin === devServerOrigin);
}

/** The part of ipcMain used here (a method signature, so tests can hand in a small fake). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Registers one `ipcMain.handle` per contract method: sender check → zod parse → host service → typed envelope. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  isOurWebContents: (id: number) => boolean,
  log: DispatchLogger,
  devServerOrigin?: string,
): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelFor(method), async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event as IpcMainInvokeEvent, isOurWebContents, devServerOrigin)) {
        log.warn('ipc call from an untrusted frame refused', { method });
        return { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
      }
      return dispatch(handlers, method, payload, log);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelFor(method));
  };
}
