import {
  ActionIcon,
  Button,
  CloseIcon,
  Fieldset,
  Group,
  PasswordInput,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useRef, useState, type ChangeEvent } from 'react';
import type { DeploymentFormErrors, EnvVarRow } from './deploymentForm';

interface EnvVarRowsProps {
  rows: EnvVarRow[];
  /** Shown only once the form was submitted. */
  errors: DeploymentFormErrors['env'] | undefined;
  disabled: boolean;
  onChange: (rows: EnvVarRow[]) => void;
}

/** Environment variables as name/value rows; a secret's value is hidden as it is typed. */
export function EnvVarRows({ rows, errors, disabled, onChange }: EnvVarRowsProps) {
  const addButton = useRef<HTMLButtonElement>(null);
  const [added, setAdded] = useState<number>();
  const nextKey = () => rows.reduce((most, row) => Math.max(most, row.key), 0) + 1;
  const update = (key: number, change: Partial<EnvVarRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  return (
    <Fieldset legend="Environment variables" variant="unstyled">
      <Text size="xs" c="dimmed">
        Secrets are stored encrypted and never shown again.
      </Text>
      <Stack gap="xs" mt="xs">
        {rows.map((row, index) => {
          const n = index + 1;
          const error = errors?.[row.key];
          const valueProps = {
            'aria-label': `Variable ${n} value`,
            placeholder: 'value',
            value: row.value,
            error: error?.value,
            disabled,
            onChange: (event: ChangeEvent<HTMLInputElement>) =>
              update(row.key, { value: event.currentTarget.value }),
            style: { flex: 1 },
          };
          return (
            <Group key={row.key} align="flex-start" gap="xs" wrap="nowrap" data-testid="env-row">
              <TextInput
                aria-label={`Variable ${n} name`}
                placeholder="NAME"
                value={row.name}
                error={error?.name}
                disabled={disabled}
                autoFocus={row.key === added}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => update(row.key, { name: event.currentTarget.value })}
                style={{ flex: 1 }}
              />
              {row.secret ? (
                <PasswordInput {...valueProps} autoComplete="new-password" />
              ) : (
                <TextInput {...valueProps} autoComplete="off" />
              )}
              <Switch
                mt={8}
                label="Secret"
                aria-label={`Variable ${n} is a secret`}
                checked={row.secret}
                disabled={disabled}
                onChange={(event) => update(row.key, { secret: event.currentTarget.checked })}
              />
              <ActionIcon
                mt={4}
                variant="subtle"
                color="gray"
                aria-label={`Remove variable ${n}`}
                disabled={disabled}
                onClick={() => {
                  onChange(rows.filter(({ key }) => key !== row.key));
                  addButton.current?.focus();
                }}
              >
                <CloseIcon size="16" />
              </ActionIcon>
            </Group>
          );
        })}
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            None yet.
          </Text>
        ) : null}
        <Group>
          <Button
            ref={addButton}
            variant="light"
            size="xs"
            disabled={disabled}
            onClick={() => {
              const key = nextKey();
              setAdded(key);
              onChange([...rows, { key, name: '', value: '', secret: false }]);
            }}
          >
            Add variable
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
