import { Alert, Anchor, Code, Stack, Text, Title } from '@mantine/core';
import { CodeBlock } from '../../CodeBlock';
import { inlineParts } from './presetReadme';
import { readmePath, type Preset } from './presets';

function InlineMarkdown({ markdown }: { markdown: string }) {
  return inlineParts(markdown).map((part, index) => {
    switch (part.kind) {
      case 'text':
        return part.text;
      case 'code':
        return <Code key={index}>{part.text}</Code>;
      case 'link':
        return (
          <Anchor key={index} href={part.href} target="_blank" rel="noreferrer">
            {part.text}
          </Anchor>
        );
    }
  });
}

/** A preset's deploy steps, as its README gives them, each with a copy button. */
export function PresetGuideView({ preset, projectId }: { preset: Preset; projectId: string }) {
  const path = readmePath(preset);
  if (!preset.readme.ok) {
    return (
      <Alert color="orange" variant="light" title="These steps are missing">
        <Code>{path}</Code> could not be read: {preset.readme.problem}.
      </Alert>
    );
  }
  const { title, summary, commands } = preset.readme.guide;
  return (
    <Stack gap="sm" data-testid={`preset-${preset.id}`}>
      <Title order={3}>{title}</Title>
      <Text size="sm">
        <InlineMarkdown markdown={summary} />
      </Text>
      <Text size="sm">
        Run these from the root of a checkout of the Slipway repository, with the CLI signed in (
        <Code>slipway config</Code>) and this project selected:
      </Text>
      <CodeBlock
        code={`slipway project set --id ${projectId}`}
        label="the command that selects this project"
      />
      {commands.map((command, index) => (
        <CodeBlock
          key={index}
          code={command}
          label={`step ${index + 1} of the ${preset.label} preset`}
          testId="preset-commands"
        />
      ))}
      <Text size="xs" c="dimmed">
        From <Code>{path}</Code>, which also lists the prerequisites and settings.
      </Text>
    </Stack>
  );
}
