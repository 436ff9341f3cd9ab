import SvgIcon, { type SvgIconProps } from '@material-ui/core/SvgIcon';

/**
 * Icon for the sidebar entry and the NFS page: a balance scale, i.e. load being balanced.
 * @public
 */
export function MetallbIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props}>
      <path d="M12 3c-.55 0-1 .45-1 1v1H6.5L3 12c0 1.66 1.57 3 3.5 3S10 13.66 10 12L7.38 7H11v12H7v2h10v-2h-4V7h3.62L14 12c0 1.66 1.57 3 3.5 3s3.5-1.34 3.5-3l-3.5-7H13V4c0-.55-.45-1-1-1zM6.5 8.24 8.62 12H4.38L6.5 8.24zm11 0L19.62 12h-4.24l2.12-3.76z" />
    </SvgIcon>
  );
}
