/** The CLI run in process, its output and exit code kept: for tests of what the CLI prints. */
import { runCli } from '../../server/src/cli/main';

export interface CliRun { code: number; stdout: string; stderr: string }

/** Runs `policy-handshake <argv…>` in `cwd`. */
export function runIn(cwd: string, ...argv: string[]): CliRun {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd });
  return { code, stdout, stderr };
}
