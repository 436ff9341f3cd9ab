import { Content, Header, Page } from '@backstage/core-components';
import { ReportPermissionGate } from '../ReportPermissionGate';
import { FleetReport } from './FleetReport';

/** @public */
export interface MetallbReportPageProps {
  /**
   * Leave out the page header. The new frontend system draws its own plugin header around
   * pages, so the NFS page passes `true` to avoid two headers.
   */
  hideHeader?: boolean;
}

/** The fleet report page (`/metallb`). @public */
export function MetallbReportPage(props: MetallbReportPageProps) {
  const body = (
    <ReportPermissionGate>
      <FleetReport />
    </ReportPermissionGate>
  );
  if (props.hideHeader) {
    return <Content>{body}</Content>;
  }
  return (
    <Page themeId="tool">
      <Header
        title="Load balancers"
        subtitle="LB Doctor: LoadBalancer IP conflicts across the fleet"
      />
      <Content>{body}</Content>
    </Page>
  );
}
