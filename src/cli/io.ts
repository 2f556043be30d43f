/**
 * What the CLI's program and its commands share (no imports from program.ts or commands/, so there is no cycle):
 * the output streams, the error that carries an exit code, and the global options.
 */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is an interactive terminal (progress bars, colours). */
  isTTY: boolean;
}

export const nodeIO = (): CliIO => ({
  stdout: (s) => { process.stdout.write(s); },
  stderr: (s) => { process.stderr.write(s); },
  isTTY: !!process.stdout.isTTY,
});

/** Error that maps to an exit code with one message line. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export interface GlobalOptions {
  seed: number;
  threads: number;
  json: boolean;
  out?: string;
  /** Run even when the estimated work is above the confirmation threshold. */
  yes: boolean;
}
