/**
 * Time as the simulated API writes it, and the budget periods usage is counted in. Kept
 * apart from the generator because renderers and the budget defaults need it too.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// Date and time-of-day halves are shared between timestamps: a 100,000-key workspace holds
// 400,000 of them, and formatting each from a Date was a third of the generation time.
const DATE_PART = new Map<number, string>();
const TIME_PART: (string | undefined)[] = new Array<string | undefined>(86_400);

/** RFC 3339 at whole seconds, as the API writes its timestamps. */
export function isoSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - day * 86_400;
  let date = DATE_PART.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 10);
    DATE_PART.set(day, date);
  }
  let time = TIME_PART[secondOfDay];
  if (time === undefined) {
    time = `${new Date(secondOfDay * 1000).toISOString().slice(10, 19)}Z`;
    TIME_PART[secondOfDay] = time;
  }
  return date + time;
}

/**
 * Epoch ms the budget period holding `now` began, in UTC: usage is what was spent since then.
 * Periods: 1 daily, 2 weekly (from Monday), 3 monthly, 4 yearly; 5 one_time and anything
 * else count from the budget's creation.
 */
export function periodStart(period: number, now: number, createdMs: number): number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const midnight = Date.UTC(y, m, d.getUTCDate());
  switch (period) {
    case 1:
      return midnight;
    case 2:
      return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
    case 3:
      return Date.UTC(y, m, 1);
    case 4:
      return Date.UTC(y, 0, 1);
    default:
      return createdMs;
  }
}
