import { CliError, EXIT } from './exit-codes.js';

/** The clock of a run: SOURCE_DATE_EPOCH (seconds) when set, for reproducible outputs, else the real time. */
export function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return () => new Date();
  if (!/^\d+$/.test(epoch)) {
    throw new CliError(
      `SOURCE_DATE_EPOCH must be a whole number of seconds, not "${epoch.slice(0, 40)}"`,
      EXIT.usage,
    );
  }
  const fixed = new Date(Number(epoch) * 1000);
  return () => fixed;
}
