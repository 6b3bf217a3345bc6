import { buildProgram } from '@slipway/cli';
import { contractProblems } from './dockerfile-contract';
import { commandProblems, sectionBlock, shellWords, slipwayCommands } from './readme-commands';

describe('the README command checker', () => {
  const program = buildProgram();

  it('finds commands across continuation lines and inside $(…), without the pipe', () => {
    const block = [
      'slipway service deploy --name ocr --source . \\',
      '  --env-secret KEY "$KEY"   # a comment',
      "PROFILE_ID=$(slipway resource-profile list --json | jq -r '.[0].id')",
    ].join('\n');
    expect(slipwayCommands(block)).toEqual([
      [
        'slipway',
        'service',
        'deploy',
        '--name',
        'ocr',
        '--source',
        '.',
        '--env-secret',
        'KEY',
        '$KEY',
      ],
      ['slipway', 'resource-profile', 'list', '--json'],
    ]);
  });

  it('accepts real commands and refuses unknown flags, commands and missing required options', () => {
    expect(
      commandProblems(program, ['slipway', 'service', 'create', '--name', 'x', '--port', '9000']),
    ).toEqual([]);
    expect(commandProblems(program, ['slipway', 'service', 'deploy', '--gpu', 'L4'])).toEqual([
      'slipway service deploy: no option --gpu',
    ]);
    expect(commandProblems(program, ['slipway', 'service'])).toEqual([
      'slipway service: not a complete command',
    ]);
    expect(
      commandProblems(program, ['slipway', 'service', 'create', '--access', 'public']),
    ).toEqual(['slipway service create: --name is required']);
  });

  it('reads shell words as sh does', () => {
    expect(shellWords(`a 'b c' "d e" f\\ g $(x "y")`)).toEqual([
      'a',
      'b c',
      'd e',
      'f g',
      '$(x "y")',
    ]);
  });

  it('takes the block of one section', () => {
    const md = '# T\n\n## One\n\n```sh\necho one\n```\n\n## Two\n\n```sh\necho two\n```\n';
    expect(sectionBlock(md, 'Two')).toBe('echo two\n');
    expect(sectionBlock(md, 'Three')).toBeUndefined();
  });
});

describe('the Dockerfile contract checker', () => {
  const good = [
    'FROM python:3.11-slim AS build',
    'RUN pip install x',
    'FROM python:3.11-slim',
    'ENV HOME=/tmp HF_HOME=/tmp/huggingface PORT=8080',
    'USER 1000:1000',
    'EXPOSE 8080',
  ].join('\n');

  it('accepts a final stage that runs as 1000 on 8080 with caches under /tmp', () => {
    expect(contractProblems(good)).toEqual([]);
  });

  it('refuses root, a named user, another port, caches outside /tmp and VOLUME', () => {
    expect(contractProblems('FROM a\nEXPOSE 8080\n')).toEqual([
      'the final stage must end as USER 1000 or 1000:1000 (numeric), not root',
    ]);
    expect(contractProblems('FROM a\nUSER app\nEXPOSE 8080\n')[0]).toMatch(/not app$/);
    expect(contractProblems('FROM a\nUSER 1000\nEXPOSE 8000\n')).toEqual([
      'the final stage must listen on 8080 (EXPOSE 8080 or ENV PORT=8080)',
    ]);
    expect(contractProblems(`${good}\nENV XDG_CACHE_HOME=/var/cache/app`)).toEqual([
      'XDG_CACHE_HOME=/var/cache/app: a writable path outside /tmp (the root filesystem is read-only)',
    ]);
    expect(contractProblems(`${good}\nVOLUME /data`)[0]).toMatch(/^VOLUME \/data/);
  });

  it('only judges the final stage', () => {
    expect(contractProblems(`FROM a AS build\nUSER root\n${good}`)).toEqual([]);
  });
});
