import { describe, expect, it } from 'vitest';
import { inlineParts, parsePresetReadme } from './presetReadme';

const readme = [
  '# My preset',
  '',
  'Runs [Thing](https://example.com/thing) as a',
  'private service; `POST /run` answers.',
  '',
  'More prose.',
  '',
  '## Deploy with the CLI',
  '',
  'From the repository root:',
  '',
  '```sh',
  'cd examples/presets/mine',
  '## not a heading: inside a fence',
  'slipway service create --name mine',
  '```',
  '',
  '```python',
  'print("not a shell step")',
  '```',
  '',
  '```bash',
  'slipway service status --name mine',
  '```',
  '',
  '## Services as code',
  '',
  '```sh',
  'slipway iac plan',
  '```',
].join('\n');

describe('parsePresetReadme', () => {
  it('takes the title, the first paragraph and the shell blocks of the deploy section', () => {
    expect(parsePresetReadme(readme)).toEqual({
      ok: true,
      guide: {
        title: 'My preset',
        summary:
          'Runs [Thing](https://example.com/thing) as a private service; `POST /run` answers.',
        commands: [
          'cd examples/presets/mine\n## not a heading: inside a fence\nslipway service create --name mine',
          'slipway service status --name mine',
        ],
      },
    });
  });

  it('reads Windows line endings the same way', () => {
    expect(parsePresetReadme(readme.replace(/\n/g, '\r\n'))).toEqual(parsePresetReadme(readme));
  });

  it('says what is missing instead of showing nothing', () => {
    expect(parsePresetReadme('No title\n')).toEqual({ ok: false, problem: 'it has no "# " title' });
    expect(parsePresetReadme('# T\n\nText.\n\n## Other\n')).toEqual({
      ok: false,
      problem: 'it has no "## Deploy with the CLI" section',
    });
    expect(
      parsePresetReadme('# T\n\nText.\n\n## Deploy with the CLI\n\n```json\n{}\n```\n'),
    ).toEqual({ ok: false, problem: 'its "Deploy with the CLI" section has no sh block' });
  });
});

describe('inlineParts', () => {
  it('splits text, inline code and http links', () => {
    expect(
      inlineParts('A [Dynamiq](https://github.com/dynamiq-ai/dynamiq) agent; `POST /run`.'),
    ).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'link', text: 'Dynamiq', href: 'https://github.com/dynamiq-ai/dynamiq' },
      { kind: 'text', text: ' agent; ' },
      { kind: 'code', text: 'POST /run' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves a link that is not http(s) as text', () => {
    expect(inlineParts('[x](javascript:alert(1))')).toEqual([
      { kind: 'text', text: '[x](javascript:alert(1))' },
    ]);
  });
});
