import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type { HistoryPoint } from '../../api';

/** @public */
export interface TrendChartProps {
  points: HistoryPoint[];
  width?: number;
  height?: number;
}

type Series = 'error' | 'warning' | 'info';
const SERIES: Series[] = ['error', 'warning', 'info'];

/** Sums the clusters per timestamp: the chart shows the fleet, the cluster filter narrows it. */
export function aggregateHistory(
  points: HistoryPoint[],
): Array<{ at: number } & Record<Series, number>> {
  const byTime = new Map<number, Record<Series, number>>();
  for (const point of points) {
    const at = Date.parse(point.at);
    if (Number.isNaN(at)) continue;
    const sums = byTime.get(at) ?? { error: 0, warning: 0, info: 0 };
    for (const s of SERIES) sums[s] += point[s];
    byTime.set(at, sums);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, sums]) => ({ at, ...sums }));
}

/**
 * A small inline SVG line chart of findings over time. Hand-made to avoid a chart library for
 * three lines; the numbers are also in the accessible label and the legend.
 */
export function TrendChart(props: TrendChartProps) {
  const { points, width = 640, height = 180 } = props;
  const theme = useTheme();
  const data = aggregateHistory(points);
  if (data.length === 0) {
    return <Typography variant="body2">No scan history yet.</Typography>;
  }

  const colors: Record<Series, string> = {
    error: theme.palette.error.main,
    warning: theme.palette.warning.main,
    info: theme.palette.info.main,
  };
  const pad = 28;
  const max = Math.max(1, ...data.flatMap(d => SERIES.map(s => d[s])));
  const first = data[0].at;
  const span = Math.max(1, data[data.length - 1].at - first);
  const x = (at: number) =>
    data.length === 1
      ? width / 2
      : pad + ((at - first) / span) * (width - 2 * pad);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const latest = data[data.length - 1];
  const label = `Findings over time, ${data.length} scans from ${new Date(
    first,
  ).toLocaleString()} to ${new Date(latest.at).toLocaleString()}; latest: ${
    latest.error
  } errors, ${latest.warning} warnings, ${latest.info} info`;

  return (
    <Box>
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width, display: 'block' }}
      >
        <title>{label}</title>
        <line
          x1={pad}
          x2={width - pad}
          y1={height - pad}
          y2={height - pad}
          stroke={theme.palette.divider}
        />
        <text x={4} y={pad} fill={theme.palette.text.secondary} fontSize={11}>
          {max}
        </text>
        <text
          x={4}
          y={height - pad}
          fill={theme.palette.text.secondary}
          fontSize={11}
        >
          0
        </text>
        {SERIES.map(series => (
          <polyline
            key={series}
            data-testid={`trend-${series}`}
            fill="none"
            stroke={colors[series]}
            strokeWidth={2}
            points={data.map(d => `${x(d.at)},${y(d[series])}`).join(' ')}
          />
        ))}
      </svg>
      <Box display="flex" style={{ gap: 16 }} aria-hidden>
        {SERIES.map(series => (
          <Typography variant="caption" key={series}>
            <span style={{ color: colors[series] }}>■</span> {series}:{' '}
            {latest[series]}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
