import { UNSAFE_IN_TEXT } from '../core/unsafe-text.js';

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

/**
 * Control characters (tabs and line feeds kept) and bidirectional controls as `?`, so that a hostile file
 * name or message can neither drive the terminal nor reorder what it shows.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, '?');
}
