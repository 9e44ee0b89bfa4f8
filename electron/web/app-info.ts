import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const AppManifest = z.object({
  name: z.string().min(1),
  productName: z.string().min(1).optional(),
  version: z.string().min(1),
});

/**
 * The app's name and version read at run time from the app's package.json, as Electron's app.getName() and
 * app.getVersion() do for the desktop host (the product name when there is one, else the package name).
 */
export function readAppInfo(appRoot: string): { name: string; version: string } {
  const file = join(appRoot, 'package.json');
  let manifest: z.infer<typeof AppManifest>;
  try {
    manifest = AppManifest.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new Error(
      `Cannot read the app's name and version from ${file} (${(err as Error).message}). Start the web host from the app's folder.`,
      { cause: err },
    );
  }
  return { name: manifest.productName ?? manifest.name, version: manifest.version };
}
