import { spanKindName, spanStatusName, type SpanView } from './trace.view';

/** A `spans` row as the trace query selects it (times as ISO text with microseconds). */
export interface SpanRow {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  start_time: string;
  end_time: string;
  duration_ns: string;
  status_code: number;
  status_message: string | null;
  attributes: Record<string, unknown>;
  events: unknown[];
  links: unknown[];
  resource: Record<string, unknown>;
}

/**
 * The spans as a forest. `rows` come ordered by start time, and children and roots keep
 * that order. A span whose parent is not stored (an orphan) is a root; so is the earliest
 * span of a parent cycle (only a broken SDK sends one), which keeps the output finite.
 */
export function buildSpanTree(rows: readonly SpanRow[]): SpanView[] {
  const nodes = new Map<string, SpanView>();
  const childrenOf = new Map<string, SpanRow[]>();
  for (const row of rows) {
    nodes.set(row.span_id, toSpanView(row));
    const parent = row.parent_span_id;
    if (parent !== null && parent !== row.span_id) {
      const siblings = childrenOf.get(parent);
      if (siblings) siblings.push(row);
      else childrenOf.set(parent, [row]);
    }
  }
  const placed = new Set<string>();
  const roots: SpanView[] = [];
  const attach = (root: SpanRow): void => {
    const stack = [root];
    placed.add(root.span_id);
    while (stack.length > 0) {
      const current = stack.pop() as SpanRow;
      const node = nodes.get(current.span_id) as SpanView;
      for (const child of childrenOf.get(current.span_id) ?? []) {
        if (placed.has(child.span_id)) continue;
        placed.add(child.span_id);
        node.children.push(nodes.get(child.span_id) as SpanView);
        stack.push(child);
      }
    }
    roots.push(nodes.get(root.span_id) as SpanView);
  };
  const isRoot = (row: SpanRow): boolean =>
    row.parent_span_id === null ||
    row.parent_span_id === row.span_id ||
    !nodes.has(row.parent_span_id);
  for (const row of rows) if (isRoot(row)) attach(row);
  for (const row of rows) if (!placed.has(row.span_id)) attach(row);
  // Same-format ISO strings order as the times they name.
  return roots.sort((a, b) =>
    a.start_time < b.start_time ? -1 : a.start_time > b.start_time ? 1 : 0,
  );
}

export function toSpanView(row: SpanRow): SpanView {
  return {
    span_id: row.span_id,
    parent_span_id: row.parent_span_id,
    name: row.name,
    kind: spanKindName(row.kind),
    start_time: row.start_time,
    end_time: row.end_time,
    duration_ms: Number(row.duration_ns) / 1e6,
    status: { code: spanStatusName(row.status_code), message: row.status_message },
    attributes: row.attributes,
    events: row.events,
    links: row.links,
    resource: row.resource,
    children: [],
  };
}
