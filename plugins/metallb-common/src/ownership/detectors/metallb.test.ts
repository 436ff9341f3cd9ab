import { metallbDetector } from './metallb';
import {
  INGRESS_FIELDS,
  METALLB,
  annotationFields,
  contextFor,
  event,
  merge,
  metallbWithClass,
  object,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';

function detect(svc: Service, snap: ClusterSnapshot = snapshot()) {
  return metallbDetector.detect(svc, contextFor(svc, snap))?.evidence;
}

describe('metallbDetector', () => {
  it('owns class-less Services when installed without --lb-class', () => {
    expect(detect(service(), snapshot({ deployments: [METALLB] }))).toEqual([
      'installed (Deployment metallb-system/controller) and takes Services without a loadBalancerClass',
    ]);
  });

  it('is excluded by --lb-class even with marks', () => {
    const svc = service({
      annotations: { 'metallb.io/ip-allocated-from-pool': 'p' },
    });
    expect(
      detect(svc, snapshot({ deployments: [metallbWithClass('x')] })),
    ).toBeUndefined();
  });

  it('is not an owner without installation or marks', () => {
    expect(detect(service())).toBeUndefined();
  });

  it.each([
    'metallb.io/ip-allocated-from-pool',
    'metallb.universe.tf/ip-allocated-from-pool',
  ])('sees its pool annotation %s', key => {
    expect(detect(service({ annotations: { [key]: 'default' } }))).toEqual([
      `annotation ${key}=default`,
    ]);
  });

  it('sees its controller status write', () => {
    const svc = service({
      managedFields: [
        writer(
          'controller',
          merge(
            INGRESS_FIELDS,
            annotationFields('metallb.io/ip-allocated-from-pool'),
          ),
          { subresource: 'status' },
        ),
      ],
    });
    expect(detect(svc)).toEqual([
      'managedFields: manager "controller" (Update, status) owns status.loadBalancer.ingress, annotation metallb.io/ip-allocated-from-pool at 2025-01-09T10:00:00Z',
    ]);
  });

  it('sees Events from its controller and speaker, not from others', () => {
    const svc = service();
    const snap = snapshot({
      events: [
        event('metallb-controller', 'IPAllocated'),
        event('metallb-speaker', 'nodeAssigned'),
        event('purelb-allocator', 'AllocationFailed'),
      ],
    });
    expect(detect(svc, snap)).toEqual([
      'Event IPAllocated from metallb-controller',
      'Event nodeAssigned from metallb-speaker',
    ]);
  });

  it('sees a ServiceL2Status for the Service', () => {
    const status = {
      ...object(
        'metallb.io/v1beta1',
        'ServiceL2Status',
        'metallb-system/l2-abc',
      ),
      status: { node: 'n1', serviceName: 'web', serviceNamespace: 'default' },
    };
    const other = {
      ...object(
        'metallb.io/v1beta1',
        'ServiceL2Status',
        'metallb-system/l2-def',
      ),
      status: { serviceName: 'web', serviceNamespace: 'prod' },
    };
    expect(
      detect(service(), snapshot({ serviceL2Statuses: [status, other] })),
    ).toEqual([
      'ServiceL2Status metallb-system/l2-abc shows MetalLB announcing it from node n1',
    ]);
  });

  it('adds request annotations only as support', () => {
    expect(
      detect(
        service({ annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1' } }),
      ),
    ).toBeUndefined();
    expect(
      detect(
        service({ annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1' } }),
        snapshot({ deployments: [METALLB] }),
      ),
    ).toContain('annotation metallb.io/loadBalancerIPs=10.0.0.1');
  });
});
