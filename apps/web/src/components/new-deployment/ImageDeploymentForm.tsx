import {
  Button,
  Group,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { newIdempotencyKey } from '../../api/endpoints';
import { toApiError, type ApiError } from '../../api/errors';
import { createService, deployImage } from '../../api/serviceLifecycle';
import type { ServiceView } from '../../api/types';
import { ApiErrorAlert } from '../ApiErrorAlert';
import {
  MOST_INSTANCES,
  hasProblems,
  imageDeployBody,
  validateDeploymentForm,
  type DeploymentFormValues,
} from './deploymentForm';
import { EnvVarRows } from './EnvVarRows';
import { ResourceProfileSelect } from './ResourceProfileSelect';

interface ImageDeploymentFormProps {
  projectId: string;
  /** Kept by the caller, so that going back a step does not lose them. */
  values: DeploymentFormValues;
  onValuesChange: (values: DeploymentFormValues) => void;
  /**
   * The service this form already created when its deploy failed: a retry deploys to it
   * rather than creating another. Kept by the caller, so going back does not forget it.
   */
  created: ServiceView | undefined;
  onCreated: (service: ServiceView) => void;
  /** The service exists and its first deployment started. */
  onDeployed: (service: ServiceView) => void;
  onBack: () => void;
}

/** Creates a service and deploys an image to it, in two requests. */
export function ImageDeploymentForm(props: ImageDeploymentFormProps) {
  const { projectId, values, onValuesChange, created, onCreated, onDeployed, onBack } = props;
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [keys] = useState(() => ({ create: newIdempotencyKey(), deploy: newIdempotencyKey() }));

  const errors = attempts > 0 ? validateDeploymentForm(values) : undefined;
  const change = (next: Partial<DeploymentFormValues>) => onValuesChange({ ...values, ...next });

  useEffect(() => {
    if (attempts === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempts((count) => count + 1);
    if (hasProblems(validateDeploymentForm(values))) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const service =
        created ??
        (await createService(
          api,
          { name: values.name, projectId, accessType: values.accessType },
          keys.create,
        ));
      if (!created) onCreated(service);
      await deployImage(api, service.id, imageDeployBody(values), keys.deploy);
      onDeployed(service);
    } catch (caught) {
      setError(toApiError(caught));
      setSubmitting(false);
    }
  };

  return (
    <form ref={form} onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            description="Lowercase letters, digits and dashes; part of its hostname"
            placeholder="my-api"
            required
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={values.name}
            error={errors?.name}
            disabled={submitting || created !== undefined}
            onChange={(event) => change({ name: event.currentTarget.value })}
          />
          <TextInput
            label="Image"
            description="Pulled from a registry the platform can reach"
            placeholder="registry.example.com/team/app:1.2"
            required
            autoComplete="off"
            spellCheck={false}
            value={values.image}
            error={errors?.image}
            disabled={submitting}
            onChange={(event) => change({ image: event.currentTarget.value })}
          />
        </SimpleGrid>
        <Radio.Group
          label="Access type"
          value={values.accessType}
          onChange={(accessType) => change({ accessType })}
        >
          <Group mt="xs" gap="xl">
            <Radio
              value="private"
              label="Private"
              description="Callers need an Access Key"
              disabled={submitting || created !== undefined}
            />
            <Radio
              value="public"
              label="Public"
              description="Anyone who knows the hostname"
              disabled={submitting || created !== undefined}
            />
          </Group>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ResourceProfileSelect
            value={values.resourceProfileId}
            onChange={(resourceProfileId) => change({ resourceProfileId })}
            disabled={submitting}
          />
          <NumberInput
            label="Instances"
            min={1}
            max={MOST_INSTANCES}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            value={values.instances}
            error={errors?.instances}
            disabled={submitting}
            onChange={(instances) => change({ instances })}
          />
        </SimpleGrid>
        <EnvVarRows
          rows={values.env}
          errors={errors?.env}
          disabled={submitting}
          onChange={(env) => change({ env })}
        />
        {error ? (
          <ApiErrorAlert
            error={error}
            title={
              created
                ? `${created.name} was created, but the image could not be deployed`
                : 'The service could not be created'
            }
          />
        ) : null}
        {created && error ? (
          <Text size="sm" c="dimmed">
            Change what the message names and deploy again: the service keeps its name and access
            type.
          </Text>
        ) : null}
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={submitting}>
            Back
          </Button>
          <Button type="submit" loading={submitting}>
            {created ? 'Deploy' : 'Create and deploy'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
