import { LineChart } from '@mantine/charts';
import { Alert, Box, Center, Group, Paper, Text, Title } from '@mantine/core';
import type { MetricSeriesView } from '../../api/types';
import { formatTime } from '../../format';
import { METRICS, chartPoints, formatTick } from './metricSeries';

/** Every card's plot area is this tall, whatever it holds, so cards line up and never jump. */
export const CHART_HEIGHT = 200;

interface MetricCardProps {
  series: MetricSeriesView;
  window: { start: number; end: number };
}

function summary(series: MetricSeriesView): string | undefined {
  const { format } = METRICS[series.name];
  const values = series.points.map((point) => point.value);
  const latest = values.at(-1);
  if (latest === undefined) return undefined;
  if (values.length === 1) return `Now ${format(latest)}`;
  return `Latest ${format(latest)} · peak ${format(Math.max(...values))}`;
}

/** One metric over the window: its chart, or why there is none. */
export function MetricCard({ series, window }: MetricCardProps) {
  const definition = METRICS[series.name];
  const caption = series.status === 'ok' ? summary(series) : undefined;
  const titleId = `metric-${series.name}-title`;

  let plot;
  if (series.status === 'error') {
    plot = (
      <Alert color="orange" variant="light" title={`${definition.title} could not be read`}>
        <Text size="sm">{series.error ?? 'The API gave no reason.'}</Text>
      </Alert>
    );
  } else if (series.points.length === 0) {
    plot = (
      <Center h={CHART_HEIGHT}>
        <Text size="sm" c="dimmed" ta="center" maw={320}>
          {definition.empty}
        </Text>
      </Center>
    );
  } else {
    const windowMs = window.end - window.start;
    plot = (
      <LineChart
        h={CHART_HEIGHT}
        data={chartPoints(series.points, definition.missingBucket, window)}
        dataKey="time"
        series={[{ name: 'value', label: definition.title, color: 'indigo.6' }]}
        curveType="linear"
        connectNulls={false}
        withDots={series.points.length <= 2}
        valueFormatter={definition.format}
        xAxisProps={{
          type: 'number',
          scale: 'time',
          domain: [window.start, window.end],
          tickFormatter: (time: number) => formatTick(time, windowMs),
        }}
        yAxisProps={{ width: 80 }}
        tooltipProps={{
          // Called with no label while the tooltip is idle.
          labelFormatter: (time: unknown) =>
            typeof time === 'number' ? formatTime(new Date(time).toISOString()) : '',
        }}
      />
    );
  }

  return (
    <Paper withBorder p="md" radius="md" data-testid={`metric-${series.name}`}>
      <Box component="figure" m={0} aria-labelledby={titleId}>
        <Group justify="space-between" align="baseline" mb="xs">
          <Title order={4} id={titleId}>
            {definition.title}
          </Title>
          <Text component="figcaption" size="sm" c="dimmed" data-testid="metric-summary">
            {caption ?? ' '}
          </Text>
        </Group>
        {plot}
        {definition.note ? (
          <Text size="xs" c="dimmed" mt="xs">
            {definition.note}
          </Text>
        ) : null}
      </Box>
    </Paper>
  );
}
