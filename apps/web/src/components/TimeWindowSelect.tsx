import { Select } from '@mantine/core';

/** The windows the telemetry tabs offer, as seconds back from now. */
export const TIME_WINDOWS = [
  { seconds: 900, label: 'Last 15 minutes' },
  { seconds: 3600, label: 'Last hour' },
  { seconds: 6 * 3600, label: 'Last 6 hours' },
  { seconds: 24 * 3600, label: 'Last 24 hours' },
  { seconds: 7 * 24 * 3600, label: 'Last 7 days' },
] as const;

const OPTIONS = TIME_WINDOWS.map(({ seconds, label }) => ({ value: String(seconds), label }));

interface TimeWindowSelectProps {
  seconds: number;
  onChange: (seconds: number) => void;
}

/** "Last hour" and its kin: a window that ends now. */
export function TimeWindowSelect({ seconds, onChange }: TimeWindowSelectProps) {
  return (
    <Select
      label="Window"
      data={OPTIONS}
      value={String(seconds)}
      onChange={(value) => {
        if (value !== null) onChange(Number(value));
      }}
      allowDeselect={false}
      w={170}
    />
  );
}
