import { Button, Group, Modal, Radio, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import type { ServiceView } from '../../api/types';
import { EMPTY_DEPLOYMENT_FORM } from './deploymentForm';
import { ImageDeploymentForm } from './ImageDeploymentForm';
import { PresetGuideView } from './presets/PresetGuideView';
import { PRESETS } from './presets/presets';

interface NewDeploymentModalProps {
  projectId: string;
  onDeployed: (service: ServiceView) => void;
  /** `created`: a service was created though its deploy failed (the list has one more). */
  onClose: (created: boolean) => void;
}

/** "Add new deployment": what to deploy, then an image form or a preset's CLI steps. */
export function NewDeploymentModal({ projectId, onDeployed, onClose }: NewDeploymentModalProps) {
  const [step, setStep] = useState<'kind' | 'service'>('kind');
  const [tab, setTab] = useState<string | null>('image');
  const [values, setValues] = useState(EMPTY_DEPLOYMENT_FORM);
  const [created, setCreated] = useState<ServiceView>();
  const back = () => setStep('kind');
  const close = () => onClose(created !== undefined);

  return (
    <Modal
      opened
      onClose={close}
      title="Add new deployment"
      closeButtonProps={{ 'aria-label': 'Close' }}
      size="xl"
    >
      {step === 'kind' ? (
        <Stack gap="md">
          <Radio.Group label="What do you want to deploy?" value="service">
            <Radio.Card value="service" mt="xs" p="md" radius="md">
              <Group wrap="nowrap" align="flex-start">
                <Radio.Indicator />
                <div>
                  <Text fw={500}>Service</Text>
                  <Text size="sm" c="dimmed">
                    A container behind its own hostname: an image from a registry, or one of the
                    presets built from source.
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          </Radio.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => setStep('service')} data-autofocus autoFocus>
              Next
            </Button>
          </Group>
        </Stack>
      ) : (
        <Tabs value={tab} onChange={setTab}>
          <Tabs.List aria-label="How to deploy the service">
            <Tabs.Tab value="image">Image</Tabs.Tab>
            {PRESETS.map((preset) => (
              <Tabs.Tab key={preset.id} value={preset.id}>
                {preset.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="image" pt="md">
            <ImageDeploymentForm
              projectId={projectId}
              values={values}
              onValuesChange={setValues}
              created={created}
              onCreated={setCreated}
              onDeployed={onDeployed}
              onBack={back}
            />
          </Tabs.Panel>
          {PRESETS.map((preset) => (
            <Tabs.Panel key={preset.id} value={preset.id} pt="md">
              <Stack gap="md">
                <PresetGuideView preset={preset} projectId={projectId} />
                <Group>
                  <Button variant="default" onClick={back}>
                    Back
                  </Button>
                </Group>
              </Stack>
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Modal>
  );
}
