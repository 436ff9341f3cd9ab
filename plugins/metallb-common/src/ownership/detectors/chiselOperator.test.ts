import { chiselOperatorDetector } from './chiselOperator';
import {
  CHISEL,
  INGRESS_FIELDS,
  contextFor,
  deployment,
  finalizerFields,
  object,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';

function detect(svc: Service, snap: ClusterSnapshot = snapshot()) {
  return chiselOperatorDetector.detect(svc, contextFor(svc, snap))?.evidence;
}

describe('chiselOperatorDetector', () => {
  it('owns Services of its class even when not seen installed', () => {
    expect(
      detect(service({ lbClass: 'chisel-operator.io/chisel-operator-class' })),
    ).toEqual([
      'spec.loadBalancerClass is "chisel-operator.io/chisel-operator-class"',
    ]);
  });

  it('owns class-less Services when installed without LOAD_BALANCER_CLASS', () => {
    expect(detect(service(), snapshot({ deployments: [CHISEL] }))).toEqual([
      'installed (Deployment chisel-operator-system/chisel-operator) and takes Services without a loadBalancerClass',
    ]);
  });

  it('is excluded from class-less and default-class Services with LOAD_BALANCER_CLASS', () => {
    const d = deployment(
      'c/chisel',
      'ghcr.io/fyralabs/chisel-operator:v0.7.1',
      { env: { LOAD_BALANCER_CLASS: 'tunnel' } },
    );
    expect(detect(service(), snapshot({ deployments: [d] }))).toBeUndefined();
    expect(
      detect(
        service({ lbClass: 'chisel-operator.io/chisel-operator-class' }),
        snapshot({ deployments: [d] }),
      ),
    ).toBeUndefined();
    expect(
      detect(
        service({ lbClass: 'tunnel' }),
        snapshot({ deployments: [d] }),
      )?.[0],
    ).toBe('spec.loadBalancerClass is "tunnel"');
  });

  it('sees its finalizer', () => {
    expect(
      detect(service({ finalizers: ['service.chisel-operator.io/finalizer'] })),
    ).toEqual(['finalizer service.chisel-operator.io/finalizer']);
  });

  it('sees its status write and its finalizer write by manager unknown', () => {
    const svc = service({
      managedFields: [
        writer('chisel-operator', INGRESS_FIELDS, { subresource: 'status' }),
        writer(
          'unknown',
          finalizerFields('service.chisel-operator.io/finalizer'),
        ),
      ],
    });
    expect(detect(svc)).toEqual([
      'managedFields: manager "chisel-operator" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
      'managedFields: manager "unknown" (Update) owns finalizer service.chisel-operator.io/finalizer at 2025-01-09T10:00:00Z',
    ]);
  });

  it('sees its tunnel Deployment', () => {
    const tunnel = deployment('default/chisel-web', 'jpillora/chisel:1.10', {
      podLabels: { tunnel: 'web' },
    });
    const unrelated = deployment('default/other', 'nginx:1', {
      podLabels: { tunnel: 'web' },
    });
    expect(
      detect(service(), snapshot({ deployments: [tunnel, unrelated] })),
    ).toEqual([
      'Deployment default/chisel-web runs a chisel tunnel for it (pod label tunnel=web)',
    ]);
  });

  it('sees the ExitNode address in the status', () => {
    const node = {
      ...object('chisel-operator.io/v1', 'ExitNode', 'default/exit'),
      spec: { host: '203.0.113.10', port: 9090 },
    };
    expect(
      detect(
        service({ ingress: [{ ip: '203.0.113.10' }] }),
        snapshot({ otherObjects: [node] }),
      ),
    ).toEqual([
      'status.loadBalancer.ingress[0].ip 203.0.113.10 is the address of ExitNode default/exit',
    ]);
    expect(
      detect(
        service({ ingress: [{ ip: '192.168.1.240' }] }),
        snapshot({ otherObjects: [node] }),
      ),
    ).toBeUndefined();
  });
});
