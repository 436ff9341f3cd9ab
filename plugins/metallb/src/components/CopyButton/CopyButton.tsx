import { useEffect, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';
import CheckIcon from '@material-ui/icons/Check';

/** @public */
export interface CopyButtonProps {
  text: string;
  /** What is copied, for the accessible name: "Copy {label}". */
  label: string;
}

/**
 * Copies through the async Clipboard API. Core-components' copy button goes through
 * `document.execCommand`, which browsers are dropping; this one also confirms in the tooltip.
 */
export function CopyButton(props: CopyButtonProps) {
  const { text, label } = props;
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return undefined;
    // Reset so a second copy confirms again.
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const onClick = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // Clipboard is refused on insecure origins; the text is still selectable on the page.
      setCopied(false);
    }
  };

  return (
    <Tooltip title={copied ? 'Copied' : `Copy ${label}`}>
      <IconButton size="small" aria-label={`Copy ${label}`} onClick={onClick}>
        {copied ? (
          <CheckIcon fontSize="small" />
        ) : (
          <FileCopyOutlinedIcon fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
