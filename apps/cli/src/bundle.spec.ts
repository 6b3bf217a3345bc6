import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { packSource, type PackedSource } from './bundle';

let root: string;
const packed: PackedSource[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-cli-bundle-'));
});
afterEach(async () => {
  await Promise.all(packed.splice(0).map((bundle) => bundle.dispose()));
  await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

async function pack(dockerFile = 'Dockerfile', dockerContext = '.'): Promise<PackedSource> {
  const bundle = await packSource({ dir: root, dockerFile, dockerContext });
  packed.push(bundle);
  return bundle;
}

/** The file paths in the archive, in archive order. */
async function filesOf(bundle: PackedSource): Promise<string[]> {
  const files: string[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      if (entry.type === 'File') files.push(entry.path);
      entry.resume();
    },
  });
  const ended = new Promise((resolve) => parser.on('end', resolve));
  parser.end(gunzipSync(await readFile(bundle.file)));
  await ended;
  return files;
}

describe('packSource', () => {
  it('honours .dockerignore: globs, directories, negation, and always keeps the Dockerfile', async () => {
    await tree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore':
        '# build output\nDockerfile\n*.log\n!keep.log\nbuild/\ndocs/**/*.md\n!docs/keep/**\n',
      'app.js': '1',
      'debug.log': 'x',
      'keep.log': 'x',
      'sub/nested.log': 'anchored at the root, so kept',
      'build/out.js': 'x',
      'docs/a/b.md': 'x',
      'docs/keep/c.md': 'x',
    });
    expect(await filesOf(await pack())).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.js',
      'docs/keep/c.md',
      'keep.log',
      'sub/nested.log',
    ]);
  });

  it('skips an excluded directory entirely when no exception could bring a file back', async () => {
    await tree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'node_modules\n',
      'node_modules/dep/index.js': 'x',
    });
    // A link inside would fail the pack if the directory were walked.
    await symlink('/etc/passwd', join(root, 'node_modules', 'passwd'));
    expect(await filesOf(await pack())).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it('is reproducible: the same tree gives the same bytes', async () => {
    await tree({ Dockerfile: 'FROM scratch\n', 'a/b.txt': 'b', 'c.txt': 'c' });
    const first = await readFile((await pack()).file);
    const second = await readFile((await pack()).file);
    expect(second.equals(first)).toBe(true);
  });

  it('refuses a symbolic link that is not ignored, naming it', async () => {
    await tree({ Dockerfile: 'FROM scratch\n' });
    await symlink('/etc/passwd', join(root, 'passwd'));
    await expect(pack()).rejects.toThrow(/cannot pack .*: passwd is a symbolic link/);
  });

  it('sends only the context (with its own .dockerignore) and the Dockerfile outside it', async () => {
    await tree({
      'docker/web.Dockerfile': 'FROM scratch\n',
      'web/index.html': 'x',
      'web/.dockerignore': 'draft.html\n',
      'web/draft.html': 'x',
      'api/server.js': 'outside the context',
    });
    expect(await filesOf(await pack('docker/web.Dockerfile', 'web'))).toEqual([
      'docker/web.Dockerfile',
      'web/.dockerignore',
      'web/index.html',
    ]);
  });

  it('explains a missing Dockerfile, a missing context and a path that leaves the directory', async () => {
    await tree({ 'index.html': 'x' });
    await expect(pack()).rejects.toThrow(/no Dockerfile in .*: a source deploy builds it/);
    await tree({ Dockerfile: 'FROM scratch\n' });
    await expect(pack('Dockerfile', 'web')).rejects.toThrow(/build context web is not a directory/);
    await expect(pack('../Dockerfile')).rejects.toThrow(/--docker-file/);
    await expect(
      packSource({ dir: join(root, 'missing'), dockerFile: 'Dockerfile', dockerContext: '.' }),
    ).rejects.toThrow(/is not a directory/);
  });
});
