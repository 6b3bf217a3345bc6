/** What a preset's README says about deploying it: enough for a tab of copyable steps. */
export interface PresetGuide {
  /** The README's `# ` heading. */
  title: string;
  /** Its first paragraph, on one line (inline markdown kept). */
  summary: string;
  /** Each fenced `sh` block of its "Deploy with the CLI" section, as written. */
  commands: string[];
}

export type ParsedPresetReadme = { ok: true; guide: PresetGuide } | { ok: false; problem: string };

export const DEPLOY_SECTION = 'Deploy with the CLI';
const SHELL_INFO = new Set(['sh', 'bash', 'shell']);
const FENCE = /^```\s*([\w-]*)\s*$/;

interface Block {
  info: string;
  body: string;
}

/** The `## ` sections of a README (headings inside code fences do not count), with their blocks. */
function sections(lines: string[]): Map<string, Block[]> {
  const found = new Map<string, Block[]>();
  let current: Block[] | undefined;
  let open: { info: string; lines: string[] } | undefined;
  for (const line of lines) {
    const fence = FENCE.exec(line);
    if (open) {
      if (fence && fence[1] === '') {
        current?.push({ info: open.info, body: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
    } else if (fence) {
      open = { info: fence[1] ?? '', lines: [] };
    } else if (line.startsWith('## ')) {
      current = [];
      found.set(line.slice(3).trim(), current);
    }
  }
  return found;
}

function firstParagraph(lines: string[], after: number): string {
  const paragraph: string[] = [];
  for (const line of lines.slice(after + 1)) {
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    if (line.startsWith('#') || FENCE.test(line)) break;
    paragraph.push(line.trim());
  }
  return paragraph.join(' ');
}

/**
 * Reads a preset README. A README that lost its title, its first paragraph or its deploy
 * steps answers why, so the tab can say so instead of showing nothing.
 */
export function parsePresetReadme(markdown: string): ParsedPresetReadme {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const titleAt = lines.findIndex((line) => line.startsWith('# '));
  if (titleAt === -1) return { ok: false, problem: 'it has no "# " title' };
  const title = (lines[titleAt] ?? '').slice(2).trim();
  const summary = firstParagraph(lines, titleAt);
  if (summary === '') return { ok: false, problem: 'it has no paragraph after its title' };
  const blocks = sections(lines).get(DEPLOY_SECTION);
  if (!blocks) return { ok: false, problem: `it has no "## ${DEPLOY_SECTION}" section` };
  const commands = blocks.filter(({ info }) => SHELL_INFO.has(info)).map(({ body }) => body);
  if (commands.length === 0) {
    return { ok: false, problem: `its "${DEPLOY_SECTION}" section has no sh block` };
  }
  return { ok: true, guide: { title, summary, commands } };
}

export type InlinePart =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; href: string };

const INLINE = /`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;

/** Inline code and http(s) links of a markdown line; everything else is text. */
export function inlineParts(markdown: string): InlinePart[] {
  const parts: InlinePart[] = [];
  let from = 0;
  for (const match of markdown.matchAll(INLINE)) {
    if (match.index > from) parts.push({ kind: 'text', text: markdown.slice(from, match.index) });
    const [whole, code, linkText, href] = match;
    if (code !== undefined) parts.push({ kind: 'code', text: code });
    else parts.push({ kind: 'link', text: linkText ?? '', href: href ?? '' });
    from = match.index + whole.length;
  }
  if (from < markdown.length) parts.push({ kind: 'text', text: markdown.slice(from) });
  return parts;
}
