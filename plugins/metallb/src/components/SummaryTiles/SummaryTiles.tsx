import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type { ReportSummary } from '../../api';

/** @public */
export interface SummaryTilesProps {
  summary: ReportSummary;
}

/** The fleet's headline numbers; each tile is labelled so screen readers read "Errors: 3". */
export function SummaryTiles(props: SummaryTilesProps) {
  const { summary } = props;
  const tiles = [
    { label: 'Clusters', value: summary.clusters },
    { label: 'LB Services', value: summary.services },
    { label: 'Errors', value: summary.error },
    { label: 'Warnings', value: summary.warning },
    { label: 'Active write loops', value: summary.writeLoops },
  ];
  return (
    <Grid container spacing={2} role="list" aria-label="Summary">
      {tiles.map(tile => (
        <Grid item xs={6} sm={4} md key={tile.label} role="listitem">
          <Paper
            aria-label={`${tile.label}: ${tile.value}`}
            style={{ padding: 16, textAlign: 'center' }}
          >
            <Typography variant="h4" component="p">
              {tile.value}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {tile.label}
            </Typography>
          </Paper>
        </Grid>
      ))}
    </Grid>
  );
}
