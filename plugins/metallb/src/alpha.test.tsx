import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin, {
  metallbEntityContent,
  metallbFreeIpFormField,
  metallbReportPage,
} from './alpha';
import { metallbApiRef } from './api';
import {
  annotatedEntity,
  createMockMetallbApi,
  unannotatedEntity,
} from './__testUtils__/fixtures';
import { FreshPermissionCache } from './__testUtils__/FreshPermissionCache';

describe('metallb NFS plugin', () => {
  it('is a frontend plugin with the id metallb', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('metallb');
    // The ids documented in the README, used under app.extensions.
    expect(plugin.getExtension('api:metallb')).toMatchObject({
      kind: 'api',
    });
    expect(plugin.getExtension('entity-content:metallb')).toMatchObject({
      kind: 'entity-content',
    });
    expect(plugin.getExtension('entity-card:metallb')).toMatchObject({
      kind: 'entity-card',
    });
    expect(plugin.getExtension('page:metallb')).toMatchObject({
      kind: 'page',
    });
    expect(
      plugin.getExtension('scaffolder-form-field:metallb/free-ip-picker'),
    ).toMatchObject({ kind: 'scaffolder-form-field' });
  });

  it('gives the scaffolder the free-IP picker form field', async () => {
    const loader = createExtensionTester(metallbFreeIpFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    expect((await loader()).$$type).toBe('@backstage/scaffolder/FormField');
  });

  it('renders the Load Balancers entity content at /load-balancers for annotated entities', async () => {
    const api = createMockMetallbApi();
    const tester = createExtensionTester(metallbEntityContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('/load-balancers');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(annotatedEntity)).toBe(true);
    expect(filter?.(unannotatedEntity)).toBe(false);

    await renderInTestApp(
      <FreshPermissionCache>
        <EntityProvider entity={annotatedEntity}>
          {tester.reactElement()}
        </EntityProvider>
      </FreshPermissionCache>,
      { apis: [[metallbApiRef, api], mockApis.permission()] },
    );
    expect(
      await screen.findByRole('table', { name: 'LoadBalancer Services' }),
    ).toBeInTheDocument();
    expect(api.getEntityReport).toHaveBeenCalled();
  });

  it('renders the fleet report page at /metallb', async () => {
    const api = createMockMetallbApi();
    const tester = createExtensionTester(metallbReportPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/metallb');

    await renderInTestApp(
      <FreshPermissionCache>{tester.reactElement()}</FreshPermissionCache>,
      { apis: [[metallbApiRef, api], mockApis.permission()] },
    );
    expect(
      await screen.findByRole('list', { name: 'Summary' }),
    ).toBeInTheDocument();
    expect(api.getReport).toHaveBeenCalled();
  });
});
