/** "2026-12-06 17:40:12" in the viewer's time zone; "—" when there is no time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** The first block of a UUID, enough to tell rows apart. */
export const shortId = (id: string): string => id.split('-')[0] ?? id;

export const humanize = (value: string): string => value.replace(/_/g, ' ');
