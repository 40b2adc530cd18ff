/**
 * A stored time (ISO 8601 in UTC, as toISOString() writes it) shown as local time with its zone:
 * 2026-12-05T10:55:42+14:00 under TZ=Pacific/Kiritimati, 2026-12-04T20:55:42Z in UTC. Never
 * a bare date and time that a reader in another zone would take for theirs.
 */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`
  );
}
