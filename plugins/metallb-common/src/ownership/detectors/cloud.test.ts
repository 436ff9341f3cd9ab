import { awsLbcDetector } from './awsLbc';
import { cloudProviderDetector } from './cloudProvider';
import { unknownDetector } from './unknown';
import {
  INGRESS_FIELDS,
  contextFor,
  deployment,
  event,
  finalizerFields,
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

const awsNode = {
  ...object('v1', 'Node', 'ip-10-0-0-1'),
  spec: { providerID: 'aws:///us-east-1a/i-0abc' },
};
const LBC = deployment(
  'kube-system/aws-load-balancer-controller',
  'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0',
);

describe('cloudProviderDetector', () => {
  const detect = detectWith(cloudProviderDetector);

  it('owns class-less Services on a cloud, naming the cloud', () => {
    expect(detect(service(), snapshot({ nodes: [awsNode] }))).toEqual([
      'installed (Node ip-10-0-0-1) and takes Services without a loadBalancerClass',
      'Node ip-10-0-0-1 has spec.providerID aws:///us-east-1a/i-0abc (AWS cloud controller manager)',
    ]);
  });

  it('is excluded from Services with a class and from those handed to AWS LBC', () => {
    expect(
      detect(service({ lbClass: 'x' }), snapshot({ nodes: [awsNode] })),
    ).toBeUndefined();
    const external = service({
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      },
    });
    expect(detect(external, snapshot({ nodes: [awsNode] }))).toBeUndefined();
  });

  it('sees the service controller finalizer and Events, even with no cloud identified', () => {
    const svc = service({
      finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
    });
    expect(
      detect(
        svc,
        snapshot({
          events: [event('service-controller', 'EnsuredLoadBalancer')],
        }),
      ),
    ).toEqual([
      'finalizer service.kubernetes.io/load-balancer-cleanup',
      'Event EnsuredLoadBalancer from service-controller',
      'cloud controller manager not identified (no CCM workload or Node spec.providerID in the snapshot)',
    ]);
  });

  it('leaves the finalizer to k3s when the Service has an svclb DaemonSet', () => {
    const svclb = {
      ...object('apps/v1', 'DaemonSet', 'default/svclb-web'),
      spec: {
        template: {
          spec: { containers: [{ image: 'rancher/klipper-lb:v0.1' }] },
        },
      },
    };
    const svc = service({
      type: 'ClusterIP',
      finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
    });
    expect(detect(svc, snapshot({ daemonSets: [svclb] }))).toBeUndefined();
  });

  it('sees GKE finalizers', () => {
    expect(
      detect(service({ finalizers: ['gke.networking.io/l4-netlb-v1'] }))?.[0],
    ).toBe('finalizer gke.networking.io/l4-netlb-v1 (GKE)');
  });

  it('sees its CCM write, named by the manager', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('aws-cloud-controller-manager', INGRESS_FIELDS, {
              subresource: 'status',
            }),
          ],
        }),
      )?.[0],
    ).toBe(
      'managedFields: manager "aws-cloud-controller-manager" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    );
  });

  it('sees the AWS CCM load balancer name', () => {
    const svc = service({
      ingress: [
        {
          hostname:
            'a0123456789abcdef0123456789abcdef-1234567890.us-east-1.elb.amazonaws.com',
        },
      ],
    });
    expect(detect(svc)?.[0]).toContain(
      'is a load balancer of the AWS cloud controller manager',
    );
  });

  it('does not own the Service from providerID alone when the cloud is unknown', () => {
    const node = {
      ...object('v1', 'Node', 'n'),
      spec: { providerID: 'acme://n' },
    };
    expect(detect(service(), snapshot({ nodes: [node] }))).toBeUndefined();
  });
});

describe('awsLbcDetector', () => {
  const detect = detectWith(awsLbcDetector);

  it('owns Services of its class', () => {
    expect(
      detect(
        service({ lbClass: 'service.k8s.aws/nlb' }),
        snapshot({ deployments: [LBC] }),
      ),
    ).toEqual([
      'spec.loadBalancerClass is "service.k8s.aws/nlb"',
      'installed (Deployment kube-system/aws-load-balancer-controller) and serves that class',
    ]);
  });

  it('owns class-less Services only when they ask for it', () => {
    expect(detect(service(), snapshot({ deployments: [LBC] }))).toBeUndefined();
    const svc = service({
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb-ip',
      },
    });
    expect(detect(svc, snapshot({ deployments: [LBC] }))?.[0]).toBe(
      'installed (Deployment kube-system/aws-load-balancer-controller) and the Service asks for it',
    );
  });

  it('sees its finalizer, NLB name, controller write and Events', () => {
    const svc = service({
      finalizers: ['service.k8s.aws/resources'],
      ingress: [
        {
          hostname: 'k8s-default-web-0123456789.elb.us-west-2.amazonaws.com',
          ports: [{ port: 80, protocol: 'TCP' }],
        },
      ],
      managedFields: [
        writer('controller', INGRESS_FIELDS, { subresource: 'status' }),
      ],
    });
    const snap = snapshot({
      events: [
        event('service', 'SuccessfullyReconciled'),
        event('service', 'SomethingElse'),
      ],
    });
    expect(detect(svc, snap)).toEqual([
      'finalizer service.k8s.aws/resources',
      'status.loadBalancer.ingress[0].hostname k8s-default-web-0123456789.elb.us-west-2.amazonaws.com is an NLB named by AWS Load Balancer Controller',
      'managedFields: manager "controller" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z (the Service carries AWS Load Balancer Controller marks and its binary is named controller)',
      'Event SuccessfullyReconciled from service',
    ]);
  });
});

describe('unknownDetector', () => {
  const detect = detectWith(unknownDetector);

  it('names an unclaimed status writer', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('acme-lb', INGRESS_FIELDS, { subresource: 'status' }),
          ],
        }),
      ),
    ).toEqual([
      'managedFields: manager "acme-lb" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    ]);
  });

  it('explains the "unknown" manager', () => {
    expect(
      detect(
        service({ managedFields: [writer('unknown', INGRESS_FIELDS)] }),
      )?.[0],
    ).toContain('a client that sent no User-Agent');
  });

  it('ignores claimed writers, user tools and unrelated fields', () => {
    const svc = service({
      managedFields: [
        writer('chisel-operator', INGRESS_FIELDS),
        writer('kubectl-client-side-apply', {
          'f:spec': { 'f:loadBalancerIP': {} },
        }),
        writer(
          'unknown',
          finalizerFields('service.chisel-operator.io/finalizer'),
        ),
        writer('acme', { 'f:spec': { 'f:ports': {} } }),
      ],
    });
    expect(detect(svc)).toBeUndefined();
  });
});
