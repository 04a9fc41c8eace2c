// Turning the extension's settings into what the server is started with.
//
// No `vscode` imports here, so that it runs under plain `node --test`.

/** What the server receives as `initializationOptions`. */
export interface InitializationOptions {
  today?: string;
}

export interface TodaySetting {
  options: InitializationOptions;
  /** Set when `kith.today` is not a real `YYYY-MM-DD` day and was ignored. */
  warning?: string;
}

/**
 * Reads `kith.today`. An invalid date is ignored with a warning rather than
 * passed on, so that a typo in a setting does not stop the server.
 */
export function todaySetting(raw: unknown): TodaySetting {
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value === '') {
    return { options: {} };
  }
  if (!isRealDay(value)) {
    return {
      options: {},
      warning: `kith.today is "${value}", which is not a date like 2026-12-01; using the real date instead.`,
    };
  }
  return { options: { today: value } };
}

function isRealDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= (daysInMonth[month - 1] ?? 0);
}
