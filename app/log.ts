// Structured logs to stderr (stdout is reserved for command results). GONKA_LOG_LEVEL sets the level.
import { type Logger, pino } from 'pino';

const root: Logger = pino(
  { level: process.env.GONKA_LOG_LEVEL ?? 'info', base: undefined },
  pino.destination({ fd: 2, sync: false }),
);

export function logger(component: string): Logger {
  return root.child({ c: component });
}
export type { Logger };
