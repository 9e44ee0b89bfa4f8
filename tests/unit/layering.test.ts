import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Plants a forbidden import in a file of each layer and shows the lint rule (eslint.config.mjs) fails on it,
// while the same layer's allowed imports pass.
// The layering rules need no types: without the type-aware rules a planted file (in no tsconfig) lints, and fast.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['shared/domain/planted.ts', "import { x } from '../../electron/host/dispatch';"],
    ['shared/planted.ts', "import { readFile } from 'node:fs';"],
    ['shared/planted.ts', "import { app } from 'electron';"],
    ['renderer/src/planted.ts', "import { app } from 'electron';"],
    ['renderer/src/planted.ts', "import { readFile } from 'node:fs/promises';"],
    ['renderer/src/planted.ts', "import { buildApp } from '../../backend/src/app';"],
    ['renderer/src/steps/phone/planted.ts', "import { dispatch } from '../../../../electron/host/dispatch';"],
    ['backend/src/planted.ts', "import { dispatch } from '../../electron/host/dispatch';"],
    ['backend/src/planted.ts', "import { app } from 'electron';"],
    ['electron/host/planted.ts', "import { app } from 'electron';"],
    ['electron/host/planted.ts', "import { buildApp } from '../../backend/src/app';"],
    ['electron/web/planted.ts', "import { App } from '../../renderer/src/App';"],
    ['electron/main/planted.ts', "import { buildApp } from '../../backend/src/app';"],
    // The host's only way to the network is the injected fetch of electron/host/net.
    ['electron/host/planted.ts', "import { request } from 'node:https';"],
    ['electron/host/seed-checks/planted.ts', "import { connect } from 'node:tls';"],
    ['electron/host/planted.ts', "import { createConnection } from 'net';"],
    ['electron/host/onboarding-session/planted.ts', "import { fetch } from 'undici';"],
    ['electron/host/planted.ts', "import { lookup } from 'node:dns/promises';"],
    // Backend features: a feature's routes.ts is imported by http/routes.ts only; the shared data access imports no feature.
    ['backend/src/features/phone/service.ts', "import { phoneHandlers } from './routes';"],
    ['backend/src/features/password/reset.ts', "import { phoneHandlers } from '../phone/routes';"],
    ['backend/src/jobs/planted.ts', "import { adminHandlers } from '../features/admin/routes';"],
    ['backend/src/db/planted.ts', "import { getMe } from '../features/me/service';"],
    ['backend/src/db/planted.ts', "import { ApiError } from '../http/errors';"],
    ['backend/src/db/planted.ts', "import { electron } from 'electron';"],
  ])('%s: %s is an error', async (file, code) => {
    expect(await restrictedImportErrors(file, `${code}\nexport const y = 1;\n`)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/planted.ts', "import { contract } from '../../shared/contract';"],
    ['backend/src/planted.ts', "import { contract } from '../../shared/contract';"],
    ['electron/host/planted.ts', "import { readFile } from 'node:fs';"],
    ['electron/main/planted.ts', "import { app } from 'electron';"],
    ['electron/preload/planted.ts', "import { contextBridge } from 'electron';"],
    ['shared/domain/planted.ts', "import { contract } from '../contract';"],
    ['electron/host/net/planted.ts', "import { fetch } from 'undici';"],
    ['electron/host/net/planted.ts', "import tls from 'node:tls';"],
    ['backend/src/http/routes.ts', "import { phoneHandlers } from '../features/phone/routes';"],
    ['backend/src/features/phone/routes.ts', "import { sendPhoneCode } from './service';"],
    ['backend/src/features/password/reset.ts', "import { sendSmsCode } from '../phone/codes';"],
    ['backend/src/db/planted.ts', "import type { DB } from './schema';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await restrictedImportErrors(file, `${code}\nexport const y = 1;\n`)).toEqual([]);
  });

  it('electron/host calls no global fetch outside its network seam', async () => {
    const lint = async (filePath: string) => {
      const [result] = await eslint.lintText('export const get = () => fetch("https://example.test/");\n', {
        filePath,
      });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-globals');
    };
    expect(await lint('electron/host/seed-checks/planted.ts')).not.toEqual([]);
    expect(await lint('electron/host/net/planted.ts')).toEqual([]);
  });

  it('no file of electron/host outside the seam imports a network module or calls fetch today', async () => {
    const results = await eslint.lintFiles(['electron/host/**/*.ts']);
    const network = results.flatMap((r) =>
      r.messages
        .filter(
          (m) =>
            (m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals') &&
            /network only through/.test(m.message),
        )
        .map((m) => `${r.filePath}:${m.line}`),
    );
    expect(network).toEqual([]);
  });
});
