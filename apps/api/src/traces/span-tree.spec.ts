import { buildSpanTree, type SpanRow } from './span-tree';

function row(spanId: string, parent: string | null, second: number): SpanRow {
  const time = `2026-01-31T09:30:0${second}.000000Z`;
  return {
    span_id: spanId,
    parent_span_id: parent,
    name: spanId,
    kind: 1,
    start_time: time,
    end_time: time,
    duration_ns: '0',
    status_code: 0,
    status_message: null,
    attributes: {},
    events: [],
    links: [],
    resource: {},
  };
}

interface Shape {
  id: string;
  children: Shape[];
}
const shape = (spans: ReturnType<typeof buildSpanTree>): Shape[] =>
  spans.map((span) => ({ id: span.span_id, children: shape(span.children) }));

describe('buildSpanTree', () => {
  it('nests children under parents in start order and keeps orphans as roots', () => {
    const tree = buildSpanTree([
      row('root', null, 0),
      row('orphan', 'missing', 1),
      row('b', 'root', 2),
      row('c', 'b', 3),
      row('d', 'root', 4),
    ]);
    expect(shape(tree)).toEqual([
      {
        id: 'root',
        children: [
          { id: 'b', children: [{ id: 'c', children: [] }] },
          { id: 'd', children: [] },
        ],
      },
      { id: 'orphan', children: [] },
    ]);
  });

  it('breaks a parent cycle at its earliest span and a self-parent at the span', () => {
    const tree = buildSpanTree([row('x', 'y', 0), row('y', 'x', 1), row('self', 'self', 2)]);
    expect(shape(tree)).toEqual([
      { id: 'x', children: [{ id: 'y', children: [] }] },
      { id: 'self', children: [] },
    ]);
  });
});
