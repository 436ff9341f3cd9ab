import { calicoDetector } from './calico';
import { ciliumDetector } from './cilium';
import {
  INGRESS_FIELDS,
  contextFor,
  object,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';
import type { OwnershipDetector } from '../types';

function detectWith(detector: OwnershipDetector) {
  return (svc: Service, snap: ClusterSnapshot = snapshot()) =>
    detector.detect(svc, contextFor(svc, snap))?.evidence;
}

describe('ciliumDetector', () => {
  const detect = detectWith(ciliumDetector);
  const pool = object('cilium.io/v2alpha1', 'CiliumLoadBalancerIPPool', 'pool');
  const config = {
    ...object('v1', 'ConfigMap', 'kube-system/cilium-config'),
    data: { 'default-lb-service-ipam': 'lbipam' },
  };

  it('owns class-less Services with a pool and lbipam as default', () => {
    expect(
      detect(
        service(),
        snapshot({ otherObjects: [pool], configMaps: [config] }),
      ),
    ).toEqual([
      'installed (CiliumLoadBalancerIPPool pool) and takes Services without a loadBalancerClass',
    ]);
  });

  it('owns Services of its classes', () => {
    expect(detect(service({ lbClass: 'io.cilium/l2-announcer' }))).toEqual([
      'spec.loadBalancerClass is "io.cilium/l2-announcer"',
    ]);
  });

  it.each([
    'cilium.io/IPAMRequestSatisfied',
    'io.cilium/lb-ipam-request-satisfied',
  ])('sees condition %s', type => {
    expect(
      detect(
        service({
          conditions: [{ type, status: 'True', reason: 'satisfied' }],
        }),
      ),
    ).toEqual([`status.conditions ${type}=True (reason satisfied)`]);
  });

  it('sees its status write', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('cilium-operator-lb-ipam', INGRESS_FIELDS, {
              operation: 'Update',
              subresource: 'status',
            }),
          ],
        }),
      ),
    ).toEqual([
      'managedFields: manager "cilium-operator-lb-ipam" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    ]);
  });

  it('is dormant (not an owner) without a pool', () => {
    const operator = {
      ...object('apps/v1', 'Deployment', 'kube-system/cilium-operator'),
      spec: {
        template: {
          spec: {
            containers: [{ image: 'quay.io/cilium/operator-generic:v1.16.0' }],
          },
        },
      },
    };
    expect(
      detect(
        service(),
        snapshot({ deployments: [operator], configMaps: [config] }),
      ),
    ).toBeUndefined();
  });
});

describe('calicoDetector', () => {
  const detect = detectWith(calicoDetector);
  const lbPool = {
    ...object('projectcalico.org/v3', 'IPPool', 'lb'),
    spec: { allowedUses: ['LoadBalancer'] },
  };
  const requestedOnly = {
    ...object(
      'projectcalico.org/v3',
      'KubeControllersConfiguration',
      'default',
    ),
    spec: {
      controllers: { loadBalancer: { assignIPs: 'RequestedServicesOnly' } },
    },
  };

  it('owns class-less Services with an LB pool (AllServices)', () => {
    expect(detect(service(), snapshot({ otherObjects: [lbPool] }))).toEqual([
      'installed (IPPool lb) and takes Services without a loadBalancerClass',
    ]);
  });

  it('owns Services of class calico', () => {
    expect(detect(service({ lbClass: 'calico' }))).toEqual([
      'spec.loadBalancerClass is "calico"',
    ]);
  });

  it('with RequestedServicesOnly owns only class-less Services with its annotations', () => {
    const snap = snapshot({ otherObjects: [lbPool, requestedOnly] });
    expect(detect(service(), snap)).toBeUndefined();
    expect(
      detect(
        service({
          annotations: { 'projectcalico.org/loadBalancerIPs': '["10.10.0.5"]' },
        }),
        snap,
      ),
    ).toEqual([
      'installed (IPPool lb) and the Service requests Calico addresses',
      'annotation projectcalico.org/loadBalancerIPs=["10.10.0.5"]',
    ]);
  });

  it('sees its status write', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('kube-controllers', INGRESS_FIELDS, {
              subresource: 'status',
            }),
          ],
        }),
      ),
    ).toEqual([
      'managedFields: manager "kube-controllers" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    ]);
  });
});
