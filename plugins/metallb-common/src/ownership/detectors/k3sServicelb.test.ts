import { k3sServicelbDetector } from './k3sServicelb';
import {
  INGRESS_FIELDS,
  UID,
  contextFor,
  daemonSet,
  event,
  object,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';

const LABELS = {
  'svccontroller.k3s.cattle.io/svcname': 'web',
  'svccontroller.k3s.cattle.io/svcnamespace': 'default',
};

function detect(svc: Service, snap: ClusterSnapshot = snapshot()) {
  return k3sServicelbDetector.detect(svc, contextFor(svc, snap))?.evidence;
}

describe('k3sServicelbDetector', () => {
  it('sees the new svclb-<svc>-<uid8> DaemonSet in kube-system', () => {
    const ds = daemonSet(
      `kube-system/svclb-web-${UID.slice(0, 8)}`,
      'rancher/klipper-lb:v0.4.9',
      { labels: LABELS },
    );
    expect(detect(service(), snapshot({ daemonSets: [ds] }))).toEqual([
      'installed (DaemonSet kube-system/svclb-web-1a2b3c4d) and takes Services without a loadBalancerClass',
      'DaemonSet kube-system/svclb-web-1a2b3c4d',
    ]);
  });

  it('sees the old svclb-<svc> DaemonSet in the Service namespace', () => {
    const ds = daemonSet('default/svclb-web', 'rancher/klipper-lb:v0.1.2');
    expect(
      detect(service({ type: 'ClusterIP' }), snapshot({ daemonSets: [ds] })),
    ).toEqual(['DaemonSet default/svclb-web']);
  });

  it("does not take another Service's DaemonSet", () => {
    const ds = daemonSet(
      'kube-system/svclb-api-99999999',
      'rancher/klipper-lb:v0.4.9',
      {
        labels: {
          'svccontroller.k3s.cattle.io/svcname': 'api',
          'svccontroller.k3s.cattle.io/svcnamespace': 'default',
        },
      },
    );
    const sameNameOtherNs = daemonSet(
      'kube-system/svclb-web-77777777',
      'rancher/klipper-lb:v0.4.9',
      {
        labels: {
          'svccontroller.k3s.cattle.io/svcname': 'web',
          'svccontroller.k3s.cattle.io/svcnamespace': 'prod',
        },
      },
    );
    const evidence = detect(
      service(),
      snapshot({ daemonSets: [ds, sameNameOtherNs] }),
    );
    expect(evidence).toEqual([
      'installed (DaemonSet kube-system/svclb-api-99999999) and takes Services without a loadBalancerClass',
    ]);
  });

  it('is excluded from Services with a class', () => {
    const ds = daemonSet(
      'kube-system/svclb-api-99999999',
      'rancher/klipper-lb:v0.4.9',
      { labels: LABELS },
    );
    expect(
      detect(service({ lbClass: 'x' }), snapshot({ daemonSets: [ds] })),
    ).toBeUndefined();
  });

  it('sees its status write and Events', () => {
    const svc = service({
      managedFields: [writer('k3s', INGRESS_FIELDS, { subresource: 'status' })],
    });
    expect(
      detect(
        svc,
        snapshot({
          events: [event('service-lb-controller', 'AppliedDaemonSet')],
        }),
      ),
    ).toEqual([
      'managedFields: manager "k3s" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
      'Event AppliedDaemonSet from service-lb-controller',
    ]);
  });

  it('takes the cloud-provider finalizer on k3s, with node addresses as support', () => {
    const node = {
      ...object('v1', 'Node', 'n1'),
      spec: { providerID: 'k3s://n1' },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }] },
    };
    const svc = service({
      finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
      ingress: [{ ip: '10.0.0.11' }],
      lbClass: undefined,
    });
    const evidence = detect(svc, snapshot({ nodes: [node] }));
    expect(evidence).toEqual([
      'finalizer service.kubernetes.io/load-balancer-cleanup',
      'status.loadBalancer.ingress[0].ip 10.0.0.11 is an address of Node n1 (ServiceLB publishes node addresses)',
    ]);
  });
});
