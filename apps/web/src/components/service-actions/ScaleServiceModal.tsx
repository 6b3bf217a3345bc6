import { NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { newIdempotencyKey } from '../../api/endpoints';
import { scaleService } from '../../api/operations';
import type { ServiceOperationView, ServiceView } from '../../api/types';
import { ConfirmActionModal } from '../ConfirmActionModal';

/** The API's own bounds when the service sets none. */
const MOST_INSTANCES = 100;

/** Why `value` cannot be sent, or undefined when it can. */
function instancesProblem(value: number | string, min: number, max: number) {
  if (value === '') return 'Enter a number of instances';
  const count = Number(value);
  if (!Number.isInteger(count)) return 'Enter a whole number';
  if (count < min) return `At least ${min}${min > 0 ? ' (the service’s lower bound)' : ''}`;
  if (count > max)
    return `At most ${max}${max < MOST_INSTANCES ? ' (the service’s upper bound)' : ''}`;
  return undefined;
}

interface ScaleServiceModalProps {
  service: ServiceView;
  /** What runs now, the starting value. */
  currentInstances: number;
  onStarted: (operation: ServiceOperationView) => void;
  onClose: () => void;
}

export function ScaleServiceModal(props: ScaleServiceModalProps) {
  const { service, currentInstances, onStarted, onClose } = props;
  const api = useApi();
  const [value, setValue] = useState<number | string>(currentInstances);
  // One key per request: a retry of the same count is safe, another count is a new request.
  const [key, setKey] = useState(newIdempotencyKey);
  const min = service.min_replicas ?? 0;
  const max = service.max_replicas ?? MOST_INSTANCES;
  const problem = instancesProblem(value, min, max);

  return (
    <ConfirmActionModal
      title={`Scale ${service.name}?`}
      confirmLabel="Scale"
      confirmDisabled={problem !== undefined}
      onConfirm={async () => onStarted(await scaleService(api, service.id, Number(value), key))}
      onDone={onClose}
      onClose={onClose}
    >
      <Stack gap="xs">
        <NumberInput
          label="Instances"
          description={`Now ${currentInstances}. 0 pauses the service without deleting anything.`}
          value={value}
          onChange={(next) => {
            setValue(next);
            setKey(newIdempotencyKey());
          }}
          min={min}
          max={max}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          error={problem}
          data-autofocus
        />
        <Text size="sm">
          New instances pass their readiness check before they receive traffic; removed ones drain
          first.
        </Text>
      </Stack>
    </ConfirmActionModal>
  );
}
