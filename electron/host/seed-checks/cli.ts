/**
 * `npm run seed-check -- [--json]`: prints the SEED device report; exit 0 READY, 1 BLOCKED, 2 check failed.
 *
 * The tool's entry: it answers `--help` and argument errors from cli-args.ts alone and loads the checks (cli-main.ts:
 * probes, zod schemas, the API client; built as a second bundle, scripts/build-clis.mjs) only for a run.
 */
import { seedCheckArgs } from './cli-args';

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};
const args = seedCheckArgs(process.argv.slice(2), io);
if ('exit' in args) process.exitCode = args.exit;
else
  import('./cli-main')
    .then(({ runSeedCheck }) => runSeedCheck(args, io))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`The SEED device check could not run: ${String(err)}\n`);
        process.exitCode = 2;
      },
    );
