import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { metallbServiceRef } from '@lb-doctor/plugin-metallb-node';
import { clusters } from './__testUtils__/clusters';
import { FakeMetallbService } from './__testUtils__/fakeMetallb';
import scaffolderModuleMetallb from './index';

describe('scaffolderModuleMetallb', () => {
  it('registers both actions with the scaffolder', async () => {
    const added: TemplateAction[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: TemplateAction[]) => added.push(...a) },
        ],
      ],
      features: [
        scaffolderModuleMetallb,
        createServiceFactory({
          service: metallbServiceRef,
          deps: {},
          factory: () => new FakeMetallbService(clusters()),
        }),
        mockServices.rootConfig.factory(),
      ],
    });
    expect(added.map(a => a.id)).toEqual([
      'metallb:service:create',
      'metallb:service:validate',
    ]);
    expect(added.every(a => a.supportsDryRun)).toBe(true);
  });
});
