export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Everything for people goes to stderr, so that stdout carries only what `--stdout` asks for. */
export interface Log {
  readonly isVerbose: boolean;
  info(message: string): void;
  verbose(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(stderr: NodeJS.WritableStream, verbosity: Verbosity): Log {
  const write = (line: string) => stderr.write(`${line}\n`);
  return {
    isVerbose: verbosity === 'verbose',
    info: (m) => verbosity !== 'quiet' && write(m),
    verbose: (m) => verbosity === 'verbose' && write(m),
    warn: (m) => verbosity !== 'quiet' && write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
  };
}

/** Strips control characters so that a hostile file name or message cannot drive the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}
