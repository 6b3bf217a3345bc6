/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, page } from '../../../test/fakeApi';
import { renderWithApi, testApi } from '../../../test/render';
import { NewDeploymentModal } from '../NewDeploymentModal';

const TABS = [
  ['Dynamiq Agent', 'dynamiq-agent'],
  ['Unstructured', 'unstructured'],
  ['LiveKit Voice Agent', 'livekit-voice-agent'],
  ['PaddleOCR-VL', 'paddleocr-vl'],
] as const;

/** Read and cut up here on their own, not with the app's parser: the two must agree. */
function fromReadme(directory: string) {
  const repoRoot = join(import.meta.dirname, '../../../../../..');
  const markdown = readFileSync(join(repoRoot, 'examples/presets', directory, 'README.md'), 'utf8');
  const section = markdown.split('\n## ').find((part) => part.startsWith('Deploy with the CLI\n'));
  return {
    title: /^# (.+)$/m.exec(markdown)?.[1],
    commands: [...(section ?? '').matchAll(/^```sh\n([\s\S]*?)\n```$/gm)].map(([, body]) => body),
  };
}

async function openPresets() {
  const user = userEvent.setup();
  renderWithApi(
    <NewDeploymentModal projectId="p1" onDeployed={vi.fn()} onClose={vi.fn()} />,
    testApi(fakeFetch({ 'GET /v1/resource-profiles': page([]) }).fetch),
  );
  await user.click(await screen.findByRole('button', { name: 'Next' }));
  return user;
}

describe('the preset tabs', () => {
  it.each(TABS)('%s shows exactly the deploy steps of its README', async (label, directory) => {
    const expected = fromReadme(directory);
    expect(expected.commands.length).toBeGreaterThan(0);
    const user = await openPresets();
    await user.click(screen.getByRole('tab', { name: label }));

    const panel = screen.getByRole('tabpanel', { name: label });
    expect(within(panel).getByRole('heading', { name: expected.title })).toBeTruthy();
    const shown = within(panel)
      .getAllByTestId('preset-commands')
      .map((block) => block.textContent);
    expect(shown).toEqual(expected.commands);
    expect(within(panel).getByText('slipway project set --id p1')).toBeTruthy();
    expect(panel.textContent).toContain(`examples/presets/${directory}/README.md`);
  });

  it('copies a step as it is written', async () => {
    const user = await openPresets(); // user-event stands in for the clipboard
    await user.click(screen.getByRole('tab', { name: 'Unstructured' }));
    const panel = screen.getByRole('tabpanel', { name: 'Unstructured' });
    await user.click(
      within(panel).getByRole('button', { name: 'Copy step 1 of the Unstructured preset' }),
    );
    await waitFor(() =>
      expect(within(panel).getByRole('button', { name: /step 1/ }).textContent).toBe('Copied'),
    );
    expect(await navigator.clipboard.readText()).toBe(fromReadme('unstructured').commands[0]);
  });
});
