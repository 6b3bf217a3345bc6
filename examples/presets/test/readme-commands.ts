/**
 * The `slipway …` commands a preset's README tells users to run, as argv, so they can be
 * checked against the CLI's real commands and flags.
 */

/** What the checker needs of a commander Command (the CLI's own commander, whatever version). */
export interface CliCommand {
  name(): string;
  readonly commands: readonly CliCommand[];
  readonly options: readonly { readonly long?: string; readonly mandatory: boolean }[];
}

/** The bodies of the ```sh blocks, in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** The body of the one ```sh block under `## <heading>`. */
export function sectionBlock(markdown: string, heading: string): string | undefined {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + 1);
  return shellBlocks(markdown.slice(start, next < 0 ? undefined : next))[0];
}

/** Splits shell words: quotes and backslashes as sh reads them, `$(…)` kept as one word. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw new Error(`unterminated ${char} in: ${text}`);
      word += text.slice(i + 1, end);
      started = true;
      i = end;
    } else if (char === '\\') {
      word += text[i + 1] ?? '';
      started = true;
      i += 1;
    } else if (char === '$' && text[i + 1] === '(') {
      let depth = 0;
      let end = i + 1;
      for (; end < text.length; end += 1) {
        if (text[end] === '(') depth += 1;
        if (text[end] === ')' && --depth === 0) break;
      }
      word += text.slice(i, end + 1);
      started = true;
      i = end;
    } else {
      word += char;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Every `slipway …` invocation in a block, continuation lines joined, pipes cut off. */
export function slipwayCommands(block: string): string[][] {
  const lines = block.replace(/\\\n\s*/g, ' ').split('\n');
  const commands: string[][] = [];
  for (const line of lines) {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const match of code.matchAll(/(?:^|[\s(;&|])slipway\s+([^|;&)]*)/g)) {
      commands.push(['slipway', ...shellWords(match[1] ?? '')]);
    }
  }
  return commands;
}

/**
 * What is wrong with `argv` for the CLI `program`: an unknown command or flag, or a required
 * option left out. Empty when the CLI would accept it.
 */
export function commandProblems(program: CliCommand, argv: readonly string[]): string[] {
  let command = program;
  let index = 1;
  for (; index < argv.length; index += 1) {
    const sub = command.commands.find((c) => c.name() === argv[index]);
    if (!sub) break;
    command = sub;
  }
  const path = argv.slice(0, index).join(' ');
  if (command.commands.length > 0) return [`${path}: not a complete command`];
  const problems: string[] = [];
  const given = new Set<string>();
  for (const word of argv.slice(index)) {
    if (!word.startsWith('--')) continue;
    const flag = word.split('=')[0] ?? word;
    given.add(flag);
    if (flag !== '--help' && !command.options.some((option) => option.long === flag)) {
      problems.push(`${path}: no option ${flag}`);
    }
  }
  for (const option of command.options.filter((o) => o.mandatory)) {
    if (option.long && !given.has(option.long))
      problems.push(`${path}: ${option.long} is required`);
  }
  return problems;
}
