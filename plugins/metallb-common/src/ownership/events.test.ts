import { eventComponent, eventsForService } from './events';
import { UID, event, service, snapshot } from './__fixtures__/builders';

describe('eventsForService', () => {
  it('matches by uid when both have one, else by namespace and name', () => {
    const svc = service();
    const byUid = event('metallb-controller', 'IPAllocated', svc);
    const otherUid = {
      ...event('metallb-controller', 'Old', svc),
      involvedObject: {
        kind: 'Service',
        name: 'web',
        namespace: 'default',
        uid: 'other',
      },
    };
    const byName = {
      ...event('metallb-controller', 'ByName', svc),
      involvedObject: { kind: 'Service', name: 'web', namespace: 'default' },
    };
    const otherKind = {
      ...event('x', 'Pod', svc),
      involvedObject: {
        kind: 'Pod',
        name: 'web',
        namespace: 'default',
        uid: UID,
      },
    };
    const otherNs = {
      ...event('x', 'Ns', svc),
      involvedObject: { kind: 'Service', name: 'web', namespace: 'prod' },
    };
    const found = eventsForService(
      svc,
      snapshot({
        events: [byUid, otherUid, byName, otherKind, otherNs, null as never],
      }),
    );
    expect(found.map(e => e.reason)).toEqual(['IPAllocated', 'ByName']);
  });

  it('reads the component from source or reportingComponent', () => {
    expect(
      eventComponent({ source: { component: 'a' }, reportingComponent: 'b' }),
    ).toBe('a');
    expect(eventComponent({ reportingComponent: 'b' })).toBe('b');
    expect(eventComponent({ source: 5 as never })).toBeUndefined();
  });
});
