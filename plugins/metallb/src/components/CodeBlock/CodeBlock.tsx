import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CopyButton } from '../CopyButton';

const useStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    padding: theme.spacing(1.5),
    // Wrap instead of scrolling sideways: nothing is hidden from keyboard users, and the copy
    // button copies the original text, so wrapping never corrupts the YAML.
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    // Theme colours, not fixed ones, so the block stays readable in the dark theme.
    backgroundColor: theme.palette.background.default,
    color: theme.palette.text.primary,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    fontFamily: 'monospace',
    fontSize: '0.85rem',
  },
}));

/** @public */
export interface CodeBlockProps {
  code: string;
  /** Heading above the block, also used in the copy button's name. */
  title: string;
}

/** A labelled, copyable block of YAML or shell. */
export function CodeBlock(props: CodeBlockProps) {
  const { code, title } = props;
  const classes = useStyles();
  return (
    <Box mt={1}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="subtitle2" component="span">
          {title}
        </Typography>
        <CopyButton text={code} label={title} />
      </Box>
      <pre className={classes.pre} aria-label={title}>
        <code>{code}</code>
      </pre>
    </Box>
  );
}
