import type { Owner } from '../model/report';
import type { OwnershipDetector } from './types';
import { detectOwners, defaultOwnershipDetectors } from './detectOwners';
import {
  CHISEL,
  INGRESS_FIELDS,
  LB_IP_FIELDS,
  METALLB,
  annotationFields,
  contextFor,
  daemonSet,
  deployment,
  event,
  evidenceOf,
  finalizerFields,
  ids,
  merge,
  metallbWithClass,
  ownersOf,
  service,
  snapshot,
  writer,
} from './__fixtures__/builders';

const METALLB_WRITER = writer(
  'controller',
  merge(annotationFields('metallb.io/ip-allocated-from-pool'), INGRESS_FIELDS),
  { subresource: 'status', time: '2025-01-09T10:00:05Z' },
);
const CHISEL_STATUS_WRITER = writer('chisel-operator', INGRESS_FIELDS, {
  subresource: 'status',
});
const CHISEL_FINALIZER_WRITER = writer(
  'unknown',
  finalizerFields('service.chisel-operator.io/finalizer'),
);

describe('detectOwners', () => {
  it('covers every ControllerId with one default detector', () => {
    expect(defaultOwnershipDetectors.map(d => d.id).sort()).toEqual(
      [
        'aws-lbc',
        'calico',
        'chisel-operator',
        'cilium',
        'cloud-provider',
        'inlets',
        'k3s-servicelb',
        'kube-vip',
        'kube-vip-cloud-provider',
        'loxilb',
        'metallb',
        'openelb',
        'purelb',
        'tailscale',
        'unknown',
      ].sort(),
    );
  });

  describe('the Chisel / MetalLB fight', () => {
    it('names both when chisel wrote the status and MetalLB takes class-less Services', () => {
      const svc = service({
        finalizers: ['service.chisel-operator.io/finalizer'],
        ingress: [{ ip: '203.0.113.10' }],
        managedFields: [CHISEL_FINALIZER_WRITER, CHISEL_STATUS_WRITER],
      });
      const owners = ownersOf(
        svc,
        snapshot({ deployments: [METALLB, CHISEL] }),
      );
      expect(ids(owners)).toEqual(['metallb', 'chisel-operator']);
      expect(evidenceOf(owners, 'metallb')).toEqual([
        'installed (Deployment metallb-system/controller) and takes Services without a loadBalancerClass',
      ]);
      expect(evidenceOf(owners, 'chisel-operator')).toEqual([
        'installed (Deployment chisel-operator-system/chisel-operator) and takes Services without a loadBalancerClass',
        'finalizer service.chisel-operator.io/finalizer',
        'managedFields: manager "unknown" (Update) owns finalizer service.chisel-operator.io/finalizer at 2025-01-09T10:00:00Z',
        'managedFields: manager "chisel-operator" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
      ]);
    });

    it('shows the fight from marks alone, with neither workload in the snapshot', () => {
      const svc = service({
        finalizers: ['service.chisel-operator.io/finalizer'],
        annotations: { 'metallb.io/ip-allocated-from-pool': 'default' },
        ingress: [{ ip: '192.168.1.240' }],
        managedFields: [CHISEL_FINALIZER_WRITER, METALLB_WRITER],
      });
      const svcEvents = [
        event('metallb-controller', 'ClearAssignment'),
        event('metallb-controller', 'IPAllocated'),
      ];
      const owners = ownersOf(svc, { name: 'c', events: svcEvents });
      expect(ids(owners)).toEqual(['metallb', 'chisel-operator']);
      expect(evidenceOf(owners, 'metallb')).toEqual([
        'annotation metallb.io/ip-allocated-from-pool=default',
        'managedFields: manager "controller" (Update, status) owns status.loadBalancer.ingress, annotation metallb.io/ip-allocated-from-pool at 2025-01-09T10:00:05Z',
        'Event ClearAssignment from metallb-controller',
        'Event IPAllocated from metallb-controller',
      ]);
      expect(ids(owners)).not.toContain('unknown');
    });

    it('names both in the spec.loadBalancerIP variant, and the user who set the field is not a controller', () => {
      const svc = service({
        loadBalancerIP: '203.0.113.10',
        finalizers: ['service.chisel-operator.io/finalizer'],
        managedFields: [
          writer('kubectl-patch', LB_IP_FIELDS),
          CHISEL_STATUS_WRITER,
        ],
      });
      const snap = snapshot({
        deployments: [METALLB, CHISEL],
        events: [event('metallb-controller', 'AllocationFailed', svc)],
      });
      const owners = ownersOf(svc, snap);
      expect(ids(owners)).toEqual(['metallb', 'chisel-operator']);
      expect(evidenceOf(owners, 'metallb')).toContain(
        'Event AllocationFailed from metallb-controller',
      );
      expect(JSON.stringify(owners)).not.toContain('kubectl-patch');
    });

    it("leaves MetalLB out once the Service carries chisel's class", () => {
      const svc = service({
        lbClass: 'chisel-operator.io/chisel-operator-class',
      });
      const owners = ownersOf(
        svc,
        snapshot({ deployments: [METALLB, CHISEL] }),
      );
      expect(ids(owners)).toEqual(['chisel-operator']);
      expect(evidenceOf(owners, 'chisel-operator')[0]).toBe(
        'spec.loadBalancerClass is "chisel-operator.io/chisel-operator-class"',
      );
    });
  });

  describe('class filters', () => {
    it('MetalLB with --lb-class is not an owner of a class-less Service', () => {
      const owners = ownersOf(
        service(),
        snapshot({ deployments: [metallbWithClass('metallb')] }),
      );
      expect(ids(owners)).toEqual([]);
    });

    it('MetalLB with --lb-class owns Services of its class', () => {
      const owners = ownersOf(
        service({ lbClass: 'metallb' }),
        snapshot({ deployments: [metallbWithClass('metallb')] }),
      );
      expect(ids(owners)).toEqual(['metallb']);
      expect(evidenceOf(owners, 'metallb')).toEqual([
        'spec.loadBalancerClass is "metallb"',
        'installed (Deployment metallb-system/controller) with --lb-class=metallb',
      ]);
    });

    it('MetalLB with --lb-class ignores stale pool marks on a class-less Service, and they are not "unknown"', () => {
      const svc = service({
        annotations: { 'metallb.io/ip-allocated-from-pool': 'default' },
        managedFields: [METALLB_WRITER],
      });
      expect(
        ownersOf(svc, snapshot({ deployments: [metallbWithClass('metallb')] })),
      ).toEqual([]);
    });

    it('MetalLB without --lb-class ignores any class, even a literal "nil"', () => {
      expect(
        ids(
          ownersOf(
            service({ lbClass: 'nil' }),
            snapshot({ deployments: [METALLB] }),
          ),
        ),
      ).toEqual([]);
    });

    it('a class no known controller serves gets no owner without marks', () => {
      const snap = snapshot({ deployments: [METALLB, CHISEL] });
      expect(
        ownersOf(service({ lbClass: 'example.com/custom' }), snap),
      ).toEqual([]);
    });

    it('a class no known controller serves still shows controllers with marks', () => {
      const svc = service({
        lbClass: 'example.com/custom',
        managedFields: [CHISEL_STATUS_WRITER],
      });
      const owners = ownersOf(svc, snapshot());
      expect(ids(owners)).toEqual(['chisel-operator']);
    });

    it('several class-less takers are all owners before any fight', () => {
      const snap = snapshot({
        deployments: [METALLB, CHISEL],
        daemonSets: [
          daemonSet(
            'kube-system/kube-vip',
            'ghcr.io/kube-vip/kube-vip:v0.8.0',
            { env: { svc_enable: 'true' } },
          ),
        ],
      });
      expect(ids(ownersOf(service(), snap))).toEqual([
        'metallb',
        'chisel-operator',
        'kube-vip',
      ]);
    });

    it('a known controller whose settings are unknown is not an owner of a class-less Service without marks', () => {
      const snap = snapshot({
        otherObjects: [
          {
            apiVersion: 'chisel-operator.io/v1',
            kind: 'ExitNode',
            metadata: { name: 'x', namespace: 'y' },
          },
        ],
      });
      expect(ownersOf(service(), snap)).toEqual([]);
    });
  });

  describe('non-LoadBalancer Services', () => {
    it('have no owners from installation alone', () => {
      expect(
        ownersOf(
          service({ type: 'ClusterIP' }),
          snapshot({ deployments: [METALLB, CHISEL] }),
        ),
      ).toEqual([]);
      const noType = service();
      delete noType.spec?.type;
      expect(ownersOf(noType, snapshot({ deployments: [METALLB] }))).toEqual(
        [],
      );
    });

    it('keep owners shown by marks', () => {
      const svc = service({
        type: 'ClusterIP',
        annotations: { 'metallb.io/ip-allocated-from-pool': 'default' },
      });
      expect(ids(ownersOf(svc, snapshot({ deployments: [METALLB] })))).toEqual([
        'metallb',
      ]);
    });
  });

  describe('unknown writers', () => {
    it('reports a manager no detector claims that owns status ingress', () => {
      const svc = service({
        managedFields: [
          writer('my-lb', INGRESS_FIELDS, { subresource: 'status' }),
        ],
      });
      const owners = ownersOf(svc);
      expect(owners).toEqual([
        {
          controller: 'unknown',
          evidence: [
            'managedFields: manager "my-lb" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
          ],
        },
      ]);
    });

    it('reports a manager no detector claims that owns spec.loadBalancerIP', () => {
      const owners = ownersOf(
        service({ managedFields: [writer('ip-setter', LB_IP_FIELDS)] }),
      );
      expect(evidenceOf(owners, 'unknown')).toEqual([
        'managedFields: manager "ip-setter" (Update) owns spec.loadBalancerIP at 2025-01-09T10:00:00Z',
      ]);
    });

    it('does not guess from an ambiguous name: a bare "controller" status writer is unknown', () => {
      const owners = ownersOf(
        service({
          managedFields: [
            writer('controller', INGRESS_FIELDS, { subresource: 'status' }),
          ],
        }),
      );
      expect(ids(owners)).toEqual(['unknown']);
      expect(evidenceOf(owners, 'unknown')[0]).toContain(
        'a name many binaries share',
      );
    });

    it('ignores managers that own neither ingress nor loadBalancerIP', () => {
      const owners = ownersOf(
        service({ managedFields: [writer('my-lb', annotationFields('x/y'))] }),
      );
      expect(owners).toEqual([]);
    });

    it.each([
      'kubectl',
      'kubectl-client-side-apply',
      'kubectl-edit',
      'kubectl-patch',
      'helm',
      'argocd-controller',
      'argocd-application-controller',
      'kustomize-controller',
      'flux-client-side-apply',
      'helm-controller',
      'terraform-provider-kubernetes',
      'pulumi-kubernetes',
    ])('does not report user tool %s', manager => {
      const svc = service({
        managedFields: [writer(manager, merge(LB_IP_FIELDS, INGRESS_FIELDS))],
      });
      expect(ownersOf(svc)).toEqual([]);
    });

    it('drops an unknown manager that an extra detector names', () => {
      const extra: OwnershipDetector = {
        id: 'acme',
        detect: () => ({
          controller: 'cloud-provider',
          evidence: [
            'managedFields: manager "acme-lb" (Update, status) owns status.loadBalancer.ingress',
          ],
        }),
      };
      const svc = service({
        managedFields: [
          writer('acme-lb', INGRESS_FIELDS, { subresource: 'status' }),
        ],
      });
      const owners = detectOwners(svc, contextFor(svc), [
        ...defaultOwnershipDetectors,
        extra,
      ]);
      expect(ids(owners)).toEqual(['cloud-provider']);
    });
  });

  describe('order and merging', () => {
    it('puts MetalLB first, then stronger evidence first, then ids', () => {
      const svc = service({
        managedFields: [
          writer('kube-vip', INGRESS_FIELDS, { subresource: 'status' }),
        ],
        ingress: [
          { ip: '192.168.1.240', ports: [{ port: 80, protocol: 'TCP' }] },
        ],
      });
      const snap = snapshot({
        deployments: [METALLB, CHISEL],
        daemonSets: [
          daemonSet(
            'kube-system/kube-vip',
            'ghcr.io/kube-vip/kube-vip:v0.8.0',
            { env: { svc_enable: 'true' } },
          ),
        ],
      });
      expect(ids(ownersOf(svc, snap))).toEqual([
        'metallb',
        'kube-vip',
        'chisel-operator',
      ]);
    });

    it('orders equally strong owners by id', () => {
      const snap = snapshot({
        deployments: [
          CHISEL,
          deployment(
            'inlets/inlets-operator',
            'ghcr.io/inlets/inlets-operator:0.17.12',
          ),
        ],
      });
      expect(ids(ownersOf(service(), snap))).toEqual([
        'chisel-operator',
        'inlets',
      ]);
    });

    it('merges owners reported twice for one controller and their duplicate evidence', () => {
      const twice: OwnershipDetector = {
        id: 'chisel-extra',
        detect: () => ({
          controller: 'chisel-operator',
          evidence: [
            'finalizer service.chisel-operator.io/finalizer',
            'extra fact',
          ],
        }),
      };
      const svc = service({
        finalizers: ['service.chisel-operator.io/finalizer'],
      });
      const owners = detectOwners(svc, contextFor(svc), [
        ...defaultOwnershipDetectors,
        twice,
      ]);
      expect(owners).toEqual([
        {
          controller: 'chisel-operator',
          evidence: [
            'finalizer service.chisel-operator.io/finalizer',
            'extra fact',
          ],
        },
      ]);
    });

    it('is deterministic whatever the detector order', () => {
      const svc = service({
        managedFields: [CHISEL_STATUS_WRITER],
        annotations: { 'metallb.io/ip-allocated-from-pool': 'p' },
      });
      const snap = snapshot({ deployments: [METALLB] });
      const forward = detectOwners(svc, contextFor(svc, snap));
      const backward = detectOwners(
        svc,
        contextFor(svc, snap),
        [...defaultOwnershipDetectors].reverse(),
      );
      expect(backward).toEqual(forward);
    });
  });

  describe('robustness', () => {
    it('survives a detector that throws or returns garbage', () => {
      const throwing: OwnershipDetector = {
        id: 'boom',
        detect: () => {
          throw new Error('boom');
        },
      };
      const garbage = {
        id: 'garbage',
        detect: () => 'nonsense' as unknown as Owner,
      };
      const svc = service();
      expect(detectOwners(svc, contextFor(svc), [throwing, garbage])).toEqual(
        [],
      );
    });

    const malformedServices: unknown[] = [
      null,
      undefined,
      42,
      'svc',
      {},
      { metadata: null, spec: null, status: null },
      {
        metadata: {
          annotations: 'x',
          labels: [1],
          finalizers: 'f',
          managedFields: 'm',
        },
        spec: { type: 'LoadBalancer' },
      },
      {
        metadata: {
          name: 5,
          finalizers: [null, 3, 'service.chisel-operator.io/finalizer'],
          managedFields: [
            null,
            3,
            { manager: 7, fieldsV1: 'x' },
            { manager: 'x', fieldsV1: { 'f:status': null } },
            {
              manager: 'y',
              fieldsV1: {
                'f:metadata': { 'f:finalizers': { 'v:not json': {} } },
                'f:status': { 'f:conditions': { 'k:{bad': {} } },
              },
            },
          ],
          annotations: { 'metallb.io/ip-allocated-from-pool': 3 },
        },
        spec: { type: 'LoadBalancer', loadBalancerClass: 12 },
        status: {
          loadBalancer: {
            ingress: [null, 'x', { ip: 5, ports: 'p', hostname: {} }],
          },
          conditions: [null, { type: 1 }],
        },
      },
    ];
    const malformedSnapshots: unknown[] = [
      { name: 'x' },
      {
        name: 'x',
        deployments: null,
        daemonSets: 'x',
        nodes: [null, { spec: null }],
        events: [null, 1, { involvedObject: null }],
        otherObjects: [null, 5, { kind: 'ExitNode' }],
        configMaps: [null, { metadata: null, data: 5 }],
      },
      {
        name: 'x',
        deployments: [
          null,
          {
            metadata: null,
            spec: {
              template: {
                spec: {
                  containers: [
                    null,
                    {
                      image: 5,
                      args: 'x',
                      command: 7,
                      env: [null, { name: 3 }],
                    },
                  ],
                },
              },
            },
          },
        ],
        daemonSets: [
          { metadata: { name: 'svclb-web' }, spec: { template: null } },
        ],
        ipAddressPools: [null],
        serviceL2Statuses: [null, { status: null }],
      },
    ];

    it.each(
      malformedServices.flatMap(s => malformedSnapshots.map(n => [s, n])),
    )('never throws on malformed input (%#)', (svc, snap) => {
      const s = svc as Parameters<typeof detectOwners>[0];
      const n = snap as Parameters<typeof contextFor>[1];
      expect(() => detectOwners(s, contextFor(s, n))).not.toThrow();
      for (const detector of defaultOwnershipDetectors) {
        expect(() => detector.detect(s, contextFor(s, n))).not.toThrow();
      }
    });

    it('still reads the valid parts of a partly malformed Service', () => {
      const svc = malformedServices[7] as Parameters<typeof detectOwners>[0];
      const owners = detectOwners(svc, contextFor(svc, { name: 'x' }));
      expect(evidenceOf(owners, 'chisel-operator')).toEqual([
        'finalizer service.chisel-operator.io/finalizer',
      ]);
    });
  });
});
