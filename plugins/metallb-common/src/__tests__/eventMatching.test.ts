import { snapshotFromObjects } from '../snapshot';
import {
  analyze,
  metallbController,
  pool,
  rulesOf,
  service,
  serviceReport,
} from '../__testUtils__/cluster';

/**
 * Events belong to one object: after `kubectl delete` and a re-create under the same name, the
 * old object's Events stay for an hour (the API server's event TTL) and must not be read as the
 * new Service's history. Both Event APIs say which object they are about: core/v1 in
 * `involvedObject`, events.k8s.io/v1 in `regarding`.
 */

const OLD_UID = '7c7ced68-238e-4ccb-add9-a01ef721e86c';
const NEW_UID = 'c0ffee00-0000-4000-8000-000000000001';

/** The loop MetalLB recorded on the old object: 214 rewrites in an hour. */
function loopEvents(uid: string | undefined, api: 'core' | 'events.k8s.io') {
  const about = {
    apiVersion: 'v1',
    kind: 'Service',
    name: 'frontend',
    namespace: 'web',
    ...(uid ? { uid } : {}),
  };
  return [
    [
      'ClearAssignment',
      'current IP for "web/frontend" not allowed by config, will attempt for new IP assignment: ["203.0.113.7"] is not allowed in config',
    ],
    ['IPAllocated', 'Assigned IP ["192.168.10.240"]'],
  ].map(([reason, message]) =>
    api === 'core'
      ? {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `frontend.${reason}`, namespace: 'web' },
          involvedObject: about,
          reason,
          message,
          type: 'Normal',
          count: 214,
          firstTimestamp: '2025-03-08T13:04:12Z',
          lastTimestamp: '2025-03-08T14:04:12Z',
          source: { component: 'metallb-controller' },
        }
      : {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: `frontend.${reason}`, namespace: 'web' },
          regarding: about,
          reason,
          note: message,
          type: 'Normal',
          eventTime: '2025-03-08T13:04:12.000000Z',
          series: { count: 214, lastObservedTime: '2025-03-08T14:04:12Z' },
          deprecatedFirstTimestamp: '2025-03-08T13:04:12Z',
          deprecatedLastTimestamp: '2025-03-08T14:04:12Z',
          reportingController: 'metallb-controller',
          action: 'Allocate',
        },
  );
}

function frontendRules(
  serviceUid: string | undefined,
  events: unknown[],
): string[] {
  const frontend = service('frontend', {
    namespace: 'web',
    ingress: [{ ip: '192.168.10.240' }],
    annotations: { 'metallb.io/ip-allocated-from-pool': 'default' },
  });
  if (serviceUid) frontend.metadata!.uid = serviceUid;
  else delete frontend.metadata!.uid;
  const { snapshot } = snapshotFromObjects('test', [
    metallbController('v0.16.1'),
    pool('default', { addresses: ['192.168.10.240-192.168.10.250'] }),
    frontend,
    ...events,
  ]);
  return rulesOf(serviceReport(analyze(snapshot), 'frontend', 'web'));
}

describe('Events of a deleted and re-created Service', () => {
  it.each(['core', 'events.k8s.io'] as const)(
    'are not the new object’s history (%s Events)',
    api => {
      // The same Events about the current object do show the loop...
      expect(frontendRules(OLD_UID, loopEvents(OLD_UID, api))).toContain(
        'write-loop',
      );
      // ...but once the Service was re-created (new uid) they are someone else's.
      expect(frontendRules(NEW_UID, loopEvents(OLD_UID, api))).not.toContain(
        'write-loop',
      );
    },
  );

  it.each(['core', 'events.k8s.io'] as const)(
    'fall back to namespace and name when either side has no uid (%s Events)',
    api => {
      expect(frontendRules(NEW_UID, loopEvents(undefined, api))).toContain(
        'write-loop',
      );
      expect(frontendRules(undefined, loopEvents(OLD_UID, api))).toContain(
        'write-loop',
      );
    },
  );
});
