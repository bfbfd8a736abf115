// --sql-timeout <秒>: the time limit of custom indicator SQL, read from the command line.
import { GongweiError } from '../errors.js';

/** Seconds as written → milliseconds; anything but a positive number of seconds (up to a day) is a usage error. */
export function sqlTimeoutMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(String(text).trim());
  if (!Number.isFinite(s) || s <= 0 || s > 86_400) {
    throw new GongweiError('USAGE_SQL_TIMEOUT', `--sql-timeout 应为秒数（大于 0，不超过 86400）：${text}`, { hint: '例如 --sql-timeout 120' });
  }
  return Math.round(s * 1000);
}
