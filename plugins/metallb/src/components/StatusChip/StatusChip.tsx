import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import type { ServiceStatus } from '@lb-doctor/plugin-metallb-common';

const LABELS: Record<ServiceStatus, string> = {
  ok: 'OK',
  info: 'Info',
  warning: 'Warning',
  error: 'Error',
};

const ICONS: Record<ServiceStatus, typeof CheckCircleOutlineIcon> = {
  ok: CheckCircleOutlineIcon,
  info: InfoOutlinedIcon,
  warning: ReportProblemOutlinedIcon,
  error: ErrorOutlineIcon,
};

function colorOf(theme: Theme, status: ServiceStatus): string {
  switch (status) {
    case 'error':
      return theme.palette.error.main;
    case 'warning':
      return theme.palette.warning.main;
    case 'info':
      return theme.palette.info.main;
    default:
      return theme.palette.success.main;
  }
}

// Colour only marks the border and icon; the label keeps the theme's text colour so it has
// enough contrast in light and dark themes, and the word itself carries the meaning.
const useStyles = makeStyles<Theme, { status: ServiceStatus }>(theme => ({
  chip: {
    borderColor: ({ status }) => colorOf(theme, status),
    color: theme.palette.text.primary,
    margin: 0,
  },
  icon: {
    color: ({ status }) => `${colorOf(theme, status)} !important`,
  },
}));

/** @public */
export interface StatusChipProps {
  status: ServiceStatus;
}

/** A Service's or finding's severity as a labelled chip. */
export function StatusChip(props: StatusChipProps) {
  const { status } = props;
  const classes = useStyles({ status });
  const Icon = ICONS[status] ?? CheckCircleOutlineIcon;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.chip}
      icon={<Icon className={classes.icon} />}
      label={LABELS[status] ?? status}
    />
  );
}
