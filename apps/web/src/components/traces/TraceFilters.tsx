import { Group, NumberInput, Switch, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { TraceQuery } from '../../api/telemetry';
import { TimeWindowSelect } from '../TimeWindowSelect';

/** Typing pauses this long before the traces are asked for again. */
const TYPING_PAUSE_MS = 300;

export type TraceFilterChange = Partial<Omit<TraceQuery, 'limit'>>;

interface TraceFiltersProps {
  query: TraceQuery;
  onChange: (change: TraceFilterChange) => void;
}

/** Window, a shortest duration, failed traces only, and a piece of a span's name. */
export function TraceFilters({ query, onChange }: TraceFiltersProps) {
  const [nameText, setNameText] = useState(query.nameContains);
  const [minDuration, setMinDuration] = useState<string | number>(query.minDurationMs ?? '');
  const applyName = useDebouncedCallback(
    (text: string) => onChange({ nameContains: text.trim() }),
    TYPING_PAUSE_MS,
  );
  const applyMinDuration = useDebouncedCallback(
    (value: string | number) =>
      onChange({ minDurationMs: typeof value === 'number' ? value : undefined }),
    TYPING_PAUSE_MS,
  );

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TimeWindowSelect
        seconds={query.sinceSeconds}
        onChange={(sinceSeconds) => onChange({ sinceSeconds })}
      />
      <NumberInput
        label="Min duration (ms)"
        placeholder="250"
        min={0}
        allowNegative={false}
        value={minDuration}
        onChange={(value) => {
          setMinDuration(value);
          applyMinDuration(value);
        }}
        w={160}
      />
      <TextInput
        label="Span name contains"
        placeholder="GET /orders"
        value={nameText}
        onChange={(event) => {
          setNameText(event.currentTarget.value);
          applyName(event.currentTarget.value);
        }}
        maxLength={256}
        w={220}
      />
      <Switch
        label="Failed only"
        checked={query.errorsOnly}
        onChange={(event) => onChange({ errorsOnly: event.currentTarget.checked })}
        mb={8}
      />
    </Group>
  );
}
