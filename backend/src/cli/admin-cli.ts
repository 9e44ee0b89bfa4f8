/**
 * `npm run admin -- <command> [options]`: the admin CLI's entry (admin.ts says what it does).
 *
 * It answers `--help`, the usage and option errors from admin-args.ts alone and loads the commands (admin.ts: zod
 * schemas, the API client, Kysely; built as a second bundle, scripts/build-clis.mjs) only when one runs.
 */
import { adminArgs, EXIT_API } from './admin-args';

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  env: process.env,
};
const args = adminArgs(process.argv.slice(2), io);
if ('exit' in args) process.exitCode = args.exit;
else
  import('./admin')
    .then(({ runAdminCommand }) => runAdminCommand(args, io))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`Unexpected error: ${(err as Error).message}\n`);
        process.exitCode = EXIT_API;
      },
    );
