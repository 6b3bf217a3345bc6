/**
 * The container contract as far as a Dockerfile shows it: the final stage runs as UID 1000
 * (numeric), listens on 8080, and keeps caches and homes under /tmp (the only writable path).
 */

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions, continuation lines joined, comments and blank lines dropped. */
export function instructions(dockerfile: string): Instruction[] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** `ENV A=1 B="x y"` and the legacy `ENV A 1`. */
export function envOf(args: string): Record<string, string> {
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)];
  if (pairs.length === 0) {
    const [name = '', ...value] = args.split(/\s+/);
    return { [name]: value.join(' ') };
  }
  return Object.fromEntries(
    pairs.map(([, name = '', value = '']) => [name, value.replace(/^["']|["']$/g, '')]),
  );
}

/** Variables that name where a program writes: homes and caches. */
const WRITABLE_PATH_VAR = /(^HOME$|_HOME$|CACHE|^TMPDIR$|^XDG_)/;

export function contractProblems(dockerfile: string): string[] {
  const all = instructions(dockerfile);
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  const stage = all.slice(lastFrom);
  const problems: string[] = [];
  const users = stage.filter((i) => i.keyword === 'USER').map((i) => i.args);
  const user = users.at(-1);
  if (user === undefined || !/^1000(:1000)?$/.test(user)) {
    problems.push(
      `the final stage must end as USER 1000 or 1000:1000 (numeric), not ${user ?? 'root'}`,
    );
  }
  const env = Object.assign(
    {},
    ...stage.filter((i) => i.keyword === 'ENV').map((i) => envOf(i.args)),
  ) as Record<string, string>;
  const exposes = stage.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
  if (!exposes.some((port) => port.replace(/\/tcp$/, '') === '8080') && env.PORT !== '8080') {
    problems.push('the final stage must listen on 8080 (EXPOSE 8080 or ENV PORT=8080)');
  }
  for (const [name, value] of Object.entries(env)) {
    if (WRITABLE_PATH_VAR.test(name) && value.startsWith('/') && !/^\/tmp(\/|$)/.test(value)) {
      problems.push(
        `${name}=${value}: a writable path outside /tmp (the root filesystem is read-only)`,
      );
    }
  }
  for (const volume of stage.filter((i) => i.keyword === 'VOLUME')) {
    problems.push(`VOLUME ${volume.args}: declare volumes on the service, not in the image`);
  }
  return problems;
}
