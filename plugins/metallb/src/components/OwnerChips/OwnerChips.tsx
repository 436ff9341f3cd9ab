import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { Owner } from '@lb-doctor/plugin-metallb-common';

/** @public */
export interface OwnerChipsProps {
  owners: Owner[];
}

/**
 * The controllers acting on a Service. The evidence (which field, event or manager shows it)
 * sits in a tooltip so the table stays compact; the chip is focusable so keyboard users get it
 * too, and its name carries the evidence for screen readers.
 */
export function OwnerChips(props: OwnerChipsProps) {
  const { owners } = props;
  if (owners.length === 0) {
    return <span>none detected</span>;
  }
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 4 }}
      role="list"
      aria-label="Controllers"
    >
      {owners.map(owner => (
        <Tooltip
          key={owner.controller}
          interactive
          title={
            owner.evidence.length ? (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {owner.evidence.map(line => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : (
              'No evidence recorded'
            )
          }
        >
          <Chip
            size="small"
            label={owner.controller}
            role="listitem"
            tabIndex={0}
            aria-label={`${owner.controller}: ${
              owner.evidence.join('; ') || 'no evidence recorded'
            }`}
          />
        </Tooltip>
      ))}
    </Box>
  );
}
