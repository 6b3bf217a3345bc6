import { Select, Stack } from '@mantine/core';
import { useApi } from '../../api/context';
import { listResourceProfiles } from '../../api/serviceLifecycle';
import type { ResourceProfileView } from '../../api/types';
import { useQuery } from '../../api/useQuery';
import { ApiErrorAlert } from '../ApiErrorAlert';

function profileLabel({ name, cpu, memory, gpu_count, gpu_type }: ResourceProfileView): string {
  const gpu = gpu_count > 0 && gpu_type ? ` · ${gpu_count} × ${gpu_type}` : '';
  return `${name} — ${cpu} CPU · ${memory}${gpu}`;
}

interface ResourceProfileSelectProps {
  /** undefined: the platform's default size. */
  value: string | undefined;
  onChange: (profileId: string | undefined) => void;
  disabled: boolean;
}

/** The sizes the operator offers; none chosen (or none readable) is the platform's default. */
export function ResourceProfileSelect({ value, onChange, disabled }: ResourceProfileSelectProps) {
  const api = useApi();
  const { state } = useQuery((signal) => listResourceProfiles(api, signal), [api]);
  const profiles = state.status === 'ok' ? state.data : [];
  return (
    <Stack gap="xs">
      <Select
        label="Resource profile"
        placeholder={state.status === 'loading' ? 'Loading the profiles…' : 'The platform default'}
        data={profiles.map((profile) => ({ value: profile.id, label: profileLabel(profile) }))}
        value={value ?? null}
        onChange={(profileId) => onChange(profileId ?? undefined)}
        clearable
        disabled={disabled || state.status === 'loading'}
      />
      {state.status === 'error' ? (
        <ApiErrorAlert
          error={state.error}
          title="The resource profiles could not be loaded; the platform default applies"
        />
      ) : null}
    </Stack>
  );
}
