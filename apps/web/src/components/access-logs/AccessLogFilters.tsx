import { Group, MultiSelect, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { AccessLogQuery } from '../../api/telemetry';
import { TimeWindowSelect } from '../TimeWindowSelect';
import { parseStatusFilter } from './statusFilter';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
/** Typing pauses this long before the rows are asked for again. */
const TYPING_PAUSE_MS = 300;

export type AccessLogFilterChange = Partial<Omit<AccessLogQuery, 'limit'>>;

interface AccessLogFiltersProps {
  query: AccessLogQuery;
  onChange: (change: AccessLogFilterChange) => void;
}

/** Window, status codes or classes, methods and a piece of the path. */
export function AccessLogFilters({ query, onChange }: AccessLogFiltersProps) {
  const [statusText, setStatusText] = useState(() => query.statuses.join(', '));
  const [statusError, setStatusError] = useState<string>();
  const [pathText, setPathText] = useState(query.pathContains);

  const applyStatus = useDebouncedCallback((text: string) => {
    const parsed = parseStatusFilter(text);
    setStatusError(parsed.ok ? undefined : parsed.error);
    // An unfinished or wrong entry keeps the rows of the last valid one.
    if (parsed.ok) onChange({ statuses: parsed.statuses });
  }, TYPING_PAUSE_MS);
  const applyPath = useDebouncedCallback(
    (text: string) => onChange({ pathContains: text.trim() }),
    TYPING_PAUSE_MS,
  );

  return (
    <Group align="flex-start" gap="sm" wrap="wrap">
      <TimeWindowSelect
        seconds={query.sinceSeconds}
        onChange={(sinceSeconds) => onChange({ sinceSeconds })}
      />
      <TextInput
        label="Status"
        placeholder="5xx, 404"
        description="Codes or classes"
        value={statusText}
        error={statusError}
        onChange={(event) => {
          setStatusText(event.currentTarget.value);
          applyStatus(event.currentTarget.value);
        }}
        w={180}
      />
      <MultiSelect
        label="Method"
        placeholder={query.methods.length === 0 ? 'Any' : undefined}
        description="Any of these"
        data={METHODS}
        value={[...query.methods]}
        onChange={(methods) => onChange({ methods })}
        clearable
        w={240}
      />
      <TextInput
        label="Path contains"
        placeholder="/api/"
        description="Ignoring case"
        value={pathText}
        onChange={(event) => {
          setPathText(event.currentTarget.value);
          applyPath(event.currentTarget.value);
        }}
        maxLength={256}
        w={220}
      />
    </Group>
  );
}
