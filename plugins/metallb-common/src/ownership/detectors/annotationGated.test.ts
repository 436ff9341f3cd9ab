import { inletsDetector } from './inlets';
import { loxilbDetector } from './loxilb';
import { openelbDetector } from './openelb';
import { purelbDetector } from './purelb';
import { tailscaleDetector } from './tailscale';
import {
  INGRESS_FIELDS,
  UID,
  contextFor,
  deployment,
  event,
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

describe('purelbDetector', () => {
  const detect = detectWith(purelbDetector);
  const allocator = deployment(
    'purelb/allocator',
    'registry.gitlab.com/purelb/purelb/allocator:v0.16.0',
    { env: { DEFAULT_ANNOUNCER: 'PureLB' } },
  );

  it('owns class-less Services with DEFAULT_ANNOUNCER=PureLB', () => {
    expect(detect(service(), snapshot({ deployments: [allocator] }))).toEqual([
      'installed (Deployment purelb/allocator) and takes Services without a loadBalancerClass',
    ]);
  });

  it('owns Services of its class', () => {
    expect(detect(service({ lbClass: 'purelb.io/purelbv2' }))).toEqual([
      'spec.loadBalancerClass is "purelb.io/purelbv2"',
    ]);
  });

  it('sees the annotations it writes', () => {
    const svc = service({
      annotations: {
        'purelb.io/allocated-by': 'PureLB',
        'purelb.io/allocated-from': 'default',
        'purelb.io/announcing-IPv4': 'node1,eth0',
      },
    });
    expect(detect(svc)).toEqual([
      'annotation purelb.io/allocated-by=PureLB',
      'annotation purelb.io/allocated-from=default',
      'annotation purelb.io/announcing-IPv4=node1,eth0',
    ]);
  });

  it('sees its Events by component', () => {
    expect(
      detect(
        service(),
        snapshot({
          events: [
            event('purelb-allocator', 'AddressAssigned'),
            event('metallb-controller', 'IPAllocated'),
          ],
        }),
      ),
    ).toEqual(['Event AddressAssigned from purelb-allocator']);
  });

  it('sees its allocator status write', () => {
    const svc = service({
      annotations: { 'purelb.io/allocated-by': 'PureLB' },
      managedFields: [
        writer('allocator', INGRESS_FIELDS, { subresource: 'status' }),
      ],
    });
    expect(detect(svc)).toContain(
      'managedFields: manager "allocator" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z (PureLB marks or installation accompany this allocator)',
    );
  });
});

describe('openelbDetector', () => {
  const detect = detectWith(openelbDetector);
  const installed = snapshot({
    deployments: [
      deployment(
        'openelb-system/openelb-controller',
        'kubesphere/openelb-controller:v0.6.0',
      ),
    ],
  });

  it('owns Services that opt in, whatever their class', () => {
    const svc = service({
      lbClass: 'anything',
      annotations: { 'lb.kubesphere.io/v1alpha1': 'openelb' },
    });
    expect(detect(svc, installed)).toEqual([
      'installed (Deployment openelb-system/openelb-controller) and the Service opts in',
      'annotation lb.kubesphere.io/v1alpha1=openelb',
    ]);
  });

  it('does not own Services that do not opt in', () => {
    expect(detect(service(), installed)).toBeUndefined();
  });

  it('sees its Eip label, finalizer and Events', () => {
    const svc = service({
      labels: { 'eip.openelb.kubesphere.io/v1alpha2': 'eip-pool' },
      finalizers: ['finalizer.lb.kubesphere.io/v1alpha1'],
    });
    expect(
      detect(
        svc,
        snapshot({ events: [event('OpenELBController', 'AssignIP')] }),
      ),
    ).toEqual([
      'label eip.openelb.kubesphere.io/v1alpha2=eip-pool',
      'finalizer finalizer.lb.kubesphere.io/v1alpha1',
      'Event AssignIP from OpenELBController',
    ]);
  });
});

describe('tailscaleDetector', () => {
  const detect = detectWith(tailscaleDetector);

  it('owns Services of class tailscale', () => {
    expect(detect(service({ lbClass: 'tailscale' }))).toEqual([
      'spec.loadBalancerClass is "tailscale"',
    ]);
  });

  it('does not own class-less Services unless OPERATOR_DEFAULT_LOAD_BALANCER', () => {
    const off = deployment(
      'tailscale/operator',
      'tailscale/k8s-operator:v1.80.0',
    );
    const on = deployment(
      'tailscale/operator',
      'tailscale/k8s-operator:v1.80.0',
      { env: { OPERATOR_DEFAULT_LOAD_BALANCER: 'true' } },
    );
    expect(detect(service(), snapshot({ deployments: [off] }))).toBeUndefined();
    expect(detect(service(), snapshot({ deployments: [on] }))).toEqual([
      'installed (Deployment tailscale/operator) and takes Services without a loadBalancerClass',
    ]);
  });

  it('sees its finalizer, condition, MagicDNS name and Events', () => {
    const svc = service({
      finalizers: ['tailscale.com/finalizer'],
      conditions: [
        { type: 'TailscaleProxyReady', status: 'True', reason: 'ProxyReady' },
      ],
      ingress: [{ hostname: 'web.tail1234.ts.net' }, { ip: '100.64.0.5' }],
    });
    expect(
      detect(
        svc,
        snapshot({ events: [event('tailscale-operator', 'INVALIDSERVICE')] }),
      ),
    ).toEqual([
      'finalizer tailscale.com/finalizer',
      'status.conditions TailscaleProxyReady=True (reason ProxyReady)',
      'status.loadBalancer.ingress[0].hostname web.tail1234.ts.net is a tailnet (MagicDNS) name',
      'Event INVALIDSERVICE from tailscale-operator',
    ]);
  });
});

describe('inletsDetector', () => {
  const detect = detectWith(inletsDetector);
  const operator = deployment(
    'default/inlets-operator',
    'ghcr.io/inlets/inlets-operator:0.17.12',
  );
  const annotatedOnly = deployment(
    'default/inlets-operator',
    'ghcr.io/inlets/inlets-operator:0.17.12',
    { args: ['-annotated-only'] },
  );

  it('owns every LoadBalancer Service, class or not, when installed', () => {
    expect(detect(service(), snapshot({ deployments: [operator] }))).toEqual([
      'installed (Deployment default/inlets-operator) and takes Services without a loadBalancerClass',
    ]);
    expect(
      detect(
        service({ lbClass: 'x' }),
        snapshot({ deployments: [operator] }),
      )?.[0],
    ).toContain('inlets-operator has no class filter');
  });

  it('honours operator.inlets.dev/manage=0 and -annotated-only', () => {
    expect(
      detect(
        service({ annotations: { 'operator.inlets.dev/manage': '0' } }),
        snapshot({ deployments: [operator] }),
      ),
    ).toBeUndefined();
    expect(
      detect(service(), snapshot({ deployments: [annotatedOnly] })),
    ).toBeUndefined();
    expect(
      detect(
        service({ annotations: { 'operator.inlets.dev/manage': '1' } }),
        snapshot({ deployments: [annotatedOnly] }),
      ),
    ).toEqual([
      'installed (Deployment default/inlets-operator) with -annotated-only and the Service opts in',
      'annotation operator.inlets.dev/manage=1',
    ]);
  });

  it('sees its Tunnel by name or owner reference', () => {
    const byName = object(
      'operator.inlets.dev/v1alpha1',
      'Tunnel',
      'default/web-tunnel',
    );
    const byOwner = {
      ...object('operator.inlets.dev/v1alpha1', 'Tunnel', 'default/custom'),
      metadata: {
        name: 'custom',
        namespace: 'default',
        ownerReferences: [{ kind: 'Service', name: 'web', uid: UID }],
      },
    };
    const other = object(
      'operator.inlets.dev/v1alpha1',
      'Tunnel',
      'prod/web-tunnel',
    );
    expect(
      detect(service(), snapshot({ otherObjects: [byName, byOwner, other] })),
    ).toEqual([
      'Tunnel default/web-tunnel exists for it',
      'Tunnel default/custom exists for it',
    ]);
  });

  it('sees its writes', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('inlets-operator', INGRESS_FIELDS, {
              subresource: 'status',
            }),
          ],
        }),
      ),
    ).toHaveLength(1);
  });
});

describe('loxilbDetector', () => {
  const detect = detectWith(loxilbDetector);
  const kubeLoxilb = deployment(
    'kube-system/kube-loxilb',
    'ghcr.io/loxilb-io/kube-loxilb:latest',
  );

  it('owns Services of its class, not class-less ones', () => {
    expect(
      detect(
        service({ lbClass: 'loxilb.io/loxilb' }),
        snapshot({ deployments: [kubeLoxilb] }),
      )?.[0],
    ).toBe('spec.loadBalancerClass is "loxilb.io/loxilb"');
    expect(
      detect(service(), snapshot({ deployments: [kubeLoxilb] })),
    ).toBeUndefined();
  });

  it('owns class-less Multus Services', () => {
    expect(
      detect(
        service({ annotations: { 'loxilb.io/multus-nets': 'macvlan1' } }),
        snapshot({ deployments: [kubeLoxilb] }),
      )?.[0],
    ).toBe(
      'installed (Deployment kube-system/kube-loxilb) and takes Multus Services',
    );
  });

  it('sees its status write', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('kube-loxilb', INGRESS_FIELDS, { subresource: 'status' }),
          ],
        }),
      ),
    ).toEqual([
      'managedFields: manager "kube-loxilb" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    ]);
  });
});
