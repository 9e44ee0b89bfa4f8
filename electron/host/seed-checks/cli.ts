/** `npm run seed-check -- [--json]`: prints the SEED device report; exit 0 READY, 1 BLOCKED, 2 check failed. */
import { runSeedCheckCli } from './cli-main';

runSeedCheckCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`The SEED device check could not run: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
