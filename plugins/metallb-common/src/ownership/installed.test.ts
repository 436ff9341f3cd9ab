import type { InstalledController } from './types';
import { detectInstalledControllers } from './installed';
import {
  CHISEL,
  METALLB,
  daemonSet,
  deployment,
  metallbWithClass,
  object,
  snapshot,
} from './__fixtures__/builders';

function find(
  list: InstalledController[],
  id: string,
): InstalledController | undefined {
  return list.find(c => c.controller === id);
}

describe('detectInstalledControllers', () => {
  it('finds nothing in an empty cluster', () => {
    expect(detectInstalledControllers(snapshot())).toEqual([]);
  });

  describe('MetalLB (through detectMetallbInstall)', () => {
    it('takes class-less Services without --lb-class', () => {
      expect(
        detectInstalledControllers(snapshot({ deployments: [METALLB] })),
      ).toEqual([
        {
          controller: 'metallb',
          evidence: [
            'Deployment metallb-system/controller runs quay.io/metallb/controller:v0.14.9',
          ],
          classes: [],
          takesClassless: true,
        },
      ]);
    });

    it('serves only its --lb-class', () => {
      const metallb = find(
        detectInstalledControllers(
          snapshot({ deployments: [metallbWithClass('lb')] }),
        ),
        'metallb',
      );
      expect(metallb).toMatchObject({ classes: ['lb'], takesClassless: false });
    });

    it('has unknown settings when only its pools were seen', () => {
      const pool = object(
        'metallb.io/v1beta1',
        'IPAddressPool',
        'metallb-system/default',
      );
      const metallb = find(
        detectInstalledControllers(snapshot({ ipAddressPools: [pool] })),
        'metallb',
      );
      expect(metallb).toMatchObject({ takesClassless: null });
    });

    it('comes first', () => {
      const list = detectInstalledControllers(
        snapshot({ deployments: [CHISEL, METALLB] }),
      );
      expect(list.map(c => c.controller)).toEqual([
        'metallb',
        'chisel-operator',
      ]);
    });
  });

  describe('chisel-operator', () => {
    it('takes class-less Services and its own class by default', () => {
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [CHISEL] })),
          'chisel-operator',
        ),
      ).toEqual({
        controller: 'chisel-operator',
        evidence: [
          'Deployment chisel-operator-system/chisel-operator runs ghcr.io/fyralabs/chisel-operator:v0.7.1 (env LOAD_BALANCER_CLASS unset)',
        ],
        classes: ['chisel-operator.io/chisel-operator-class'],
        takesClassless: true,
      });
    });

    it('serves only LOAD_BALANCER_CLASS when set', () => {
      const d = deployment(
        'c/chisel',
        'ghcr.io/fyralabs/chisel-operator:v0.7.1',
        { env: { LOAD_BALANCER_CLASS: 'tunnel' } },
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [d] })),
          'chisel-operator',
        ),
      ).toMatchObject({
        classes: ['tunnel'],
        takesClassless: false,
      });
    });

    it('is shown by an ExitNode, settings unknown', () => {
      const node = object('chisel-operator.io/v1', 'ExitNode', 'chisel/exit-1');
      expect(
        find(
          detectInstalledControllers(snapshot({ otherObjects: [node] })),
          'chisel-operator',
        ),
      ).toEqual({
        controller: 'chisel-operator',
        evidence: ['ExitNode chisel/exit-1 exists'],
        classes: ['chisel-operator.io/chisel-operator-class'],
        takesClassless: null,
      });
    });

    it('lets the workload settings win over the ExitNode', () => {
      const node = object('chisel-operator.io/v1', 'ExitNode', 'chisel/exit-1');
      const chisel = find(
        detectInstalledControllers(
          snapshot({ deployments: [CHISEL], otherObjects: [node] }),
        ),
        'chisel-operator',
      );
      expect(chisel?.takesClassless).toBe(true);
      expect(chisel?.evidence).toHaveLength(2);
    });
  });

  describe('kube-vip', () => {
    const kv = (env: Record<string, string>) =>
      find(
        detectInstalledControllers(
          snapshot({
            daemonSets: [
              daemonSet(
                'kube-system/kube-vip-ds',
                'ghcr.io/kube-vip/kube-vip:v0.8.9',
                { env },
              ),
            ],
          }),
        ),
        'kube-vip',
      );

    it('is not a Service load balancer without svc_enable', () => {
      expect(kv({ cp_enable: 'true' })).toBeUndefined();
    });

    it('takes class-less Services with legacy class handling', () => {
      expect(kv({ svc_enable: 'true' })).toMatchObject({
        classes: ['kube-vip.io/kube-vip-class'],
        takesClassless: true,
      });
    });

    it('does not with lb_class_only', () => {
      expect(kv({ svc_enable: 'true', lb_class_only: 'true' })).toMatchObject({
        takesClassless: false,
      });
    });

    it('uses lb_class_name', () => {
      expect(kv({ svc_enable: 'true', lb_class_name: 'vip' })).toMatchObject({
        classes: ['vip'],
        takesClassless: true,
      });
    });

    it('does not take class-less Services with the new handling and a class name', () => {
      expect(
        kv({ svc_enable: 'true', lb_class_legacy_handling: 'false' }),
      ).toMatchObject({ takesClassless: false });
    });

    it('reads the --services flag too', () => {
      const ds = daemonSet('kube-system/kube-vip', 'plndr/kube-vip:v0.4.0', {
        args: ['manager', '--services'],
      });
      expect(
        find(
          detectInstalledControllers(snapshot({ daemonSets: [ds] })),
          'kube-vip',
        ),
      ).toMatchObject({ takesClassless: true });
    });
  });

  describe('kube-vip-cloud-provider', () => {
    it('takes class-less Services by default', () => {
      const d = deployment(
        'kube-system/kube-vip-cloud-provider',
        'ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.10',
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [d] })),
          'kube-vip-cloud-provider',
        ),
      ).toMatchObject({
        classes: [],
        takesClassless: true,
      });
    });

    it('serves only its class with KUBEVIP_ENABLE_LOADBALANCERCLASS', () => {
      const d = deployment(
        'kube-system/kvcp',
        'kubevip/kube-vip-cloud-provider:v0.0.10',
        {
          env: {
            KUBEVIP_ENABLE_LOADBALANCERCLASS: 'true',
            KUBEVIP_CUSTOM_LOADBALANCERCLASS_NAME: 'my-class',
          },
        },
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [d] })),
          'kube-vip-cloud-provider',
        ),
      ).toMatchObject({
        classes: ['my-class'],
        takesClassless: false,
      });
    });

    it('is shown by ConfigMap kube-system/kubevip', () => {
      const cm = {
        ...object('v1', 'ConfigMap', 'kube-system/kubevip'),
        data: { 'cidr-global': '10.0.0.0/24' },
      };
      expect(
        find(
          detectInstalledControllers(snapshot({ configMaps: [cm] })),
          'kube-vip-cloud-provider',
        ),
      ).toMatchObject({
        evidence: [
          'ConfigMap kube-system/kubevip exists with pools cidr-global',
        ],
        takesClassless: null,
      });
    });
  });

  describe('k3s ServiceLB', () => {
    it('is on when svclb DaemonSets exist', () => {
      const ds = daemonSet(
        'kube-system/svclb-traefik-1a2b3c4d',
        'rancher/klipper-lb:v0.4.9',
        {
          labels: { 'svccontroller.k3s.cattle.io/svcname': 'traefik' },
        },
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ daemonSets: [ds] })),
          'k3s-servicelb',
        ),
      ).toEqual({
        controller: 'k3s-servicelb',
        evidence: ['DaemonSet kube-system/svclb-traefik-1a2b3c4d exists'],
        classes: [],
        takesClassless: true,
      });
    });

    const k3sNode = (args: string[]) => ({
      ...object('v1', 'Node', 'node-1'),
      metadata: {
        name: 'node-1',
        annotations: { 'k3s.io/node-args': JSON.stringify(args) },
      },
      spec: { providerID: 'k3s://node-1' },
    });

    it('is on when the k3s server args do not disable it', () => {
      expect(
        find(
          detectInstalledControllers(
            snapshot({ nodes: [k3sNode(['server', '--disable', 'traefik'])] }),
          ),
          'k3s-servicelb',
        ),
      ).toMatchObject({
        takesClassless: true,
      });
    });

    it.each([
      [['server', '--disable', 'servicelb']],
      [['server', '--disable=traefik,servicelb']],
      [['server', '--no-deploy', 'servicelb']],
    ])('is off with %j', args => {
      expect(
        find(
          detectInstalledControllers(snapshot({ nodes: [k3sNode(args)] })),
          'k3s-servicelb',
        ),
      ).toBeUndefined();
    });

    it('has unknown settings on k3s nodes without server args', () => {
      const node = {
        ...object('v1', 'Node', 'n'),
        spec: { providerID: 'k3s://n' },
      };
      expect(
        find(
          detectInstalledControllers(snapshot({ nodes: [node] })),
          'k3s-servicelb',
        ),
      ).toMatchObject({ takesClassless: null });
      expect(
        find(
          detectInstalledControllers(snapshot({ nodes: [node] })),
          'cloud-provider',
        ),
      ).toBeUndefined();
    });
  });

  describe('Cilium LB-IPAM', () => {
    const pool = object(
      'cilium.io/v2alpha1',
      'CiliumLoadBalancerIPPool',
      'pool-a',
    );
    const operator = deployment(
      'kube-system/cilium-operator',
      'quay.io/cilium/operator-generic:v1.16.0',
    );

    it('is dormant without a pool', () => {
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [operator] })),
          'cilium',
        ),
      ).toMatchObject({ takesClassless: null });
    });

    it('takes class-less Services with default-lb-service-ipam=lbipam', () => {
      const cm = {
        ...object('v1', 'ConfigMap', 'kube-system/cilium-config'),
        data: {
          'default-lb-service-ipam': 'lbipam',
          'enable-l2-announcements': 'true',
        },
      };
      expect(
        find(
          detectInstalledControllers(
            snapshot({
              deployments: [operator],
              otherObjects: [pool],
              configMaps: [cm],
            }),
          ),
          'cilium',
        ),
      ).toMatchObject({
        classes: ['io.cilium/l2-announcer'],
        takesClassless: true,
      });
    });

    it('does not with lbipam-require-lb-class', () => {
      const op = deployment(
        'kube-system/cilium-operator',
        'quay.io/cilium/operator-generic:v1.15.0',
        { args: ['--lbipam-require-lb-class=true'] },
      );
      expect(
        find(
          detectInstalledControllers(
            snapshot({ deployments: [op], otherObjects: [pool] }),
          ),
          'cilium',
        ),
      ).toMatchObject({ takesClassless: false });
    });

    it('has unknown settings with a pool but no configuration', () => {
      expect(
        find(
          detectInstalledControllers(snapshot({ otherObjects: [pool] })),
          'cilium',
        ),
      ).toMatchObject({ takesClassless: null });
    });
  });

  describe('Calico LB IPAM', () => {
    const lbPool = {
      ...object('projectcalico.org/v3', 'IPPool', 'lb-pool'),
      spec: { cidr: '10.10.0.0/24', allowedUses: ['LoadBalancer'] },
    };

    it('takes class-less Services with an LB pool and the default AllServices', () => {
      expect(
        find(
          detectInstalledControllers(snapshot({ otherObjects: [lbPool] })),
          'calico',
        ),
      ).toMatchObject({ classes: ['calico'], takesClassless: true });
    });

    it('does not with RequestedServicesOnly', () => {
      const config = {
        ...object(
          'projectcalico.org/v3',
          'KubeControllersConfiguration',
          'default',
        ),
        spec: {
          controllers: { loadBalancer: { assignIPs: 'RequestedServicesOnly' } },
        },
      };
      expect(
        find(
          detectInstalledControllers(
            snapshot({ otherObjects: [lbPool, config] }),
          ),
          'calico',
        ),
      ).toMatchObject({ takesClassless: false });
    });

    it('ignores pools not meant for LoadBalancers', () => {
      const podPool = {
        ...object('crd.projectcalico.org/v1', 'IPPool', 'default'),
        spec: { allowedUses: ['Workload', 'Tunnel'] },
      };
      expect(
        find(
          detectInstalledControllers(snapshot({ otherObjects: [podPool] })),
          'calico',
        ),
      ).toBeUndefined();
    });
  });

  it.each([
    [
      'tailscale',
      deployment('tailscale/operator', 'tailscale/k8s-operator:v1.80.0'),
      { classes: ['tailscale'], takesClassless: false },
    ],
    [
      'tailscale',
      deployment('tailscale/operator', 'tailscale/k8s-operator:v1.80.0', {
        env: { OPERATOR_DEFAULT_LOAD_BALANCER: 'true' },
      }),
      { takesClassless: true },
    ],
    [
      'inlets',
      deployment(
        'default/inlets-operator',
        'ghcr.io/inlets/inlets-operator:0.17.12',
      ),
      { takesClassless: true },
    ],
    [
      'inlets',
      deployment(
        'default/inlets-operator',
        'ghcr.io/inlets/inlets-operator:0.17.12',
        { args: ['-annotated-only'] },
      ),
      { takesClassless: false },
    ],
    [
      'loxilb',
      deployment(
        'kube-system/kube-loxilb',
        'ghcr.io/loxilb-io/kube-loxilb:latest',
        { args: ['--loxilbLoadBalancerClass=my.io/lb'] },
      ),
      { classes: ['my.io/lb'], takesClassless: false },
    ],
    [
      'aws-lbc',
      deployment(
        'kube-system/aws-load-balancer-controller',
        'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0',
        { args: ['--cluster-name=x'] },
      ),
      { classes: ['service.k8s.aws/nlb'], takesClassless: false },
    ],
    [
      'purelb',
      deployment(
        'purelb/allocator',
        'registry.gitlab.com/purelb/purelb/allocator:v0.16.0',
        { env: { DEFAULT_ANNOUNCER: 'PureLB' } },
      ),
      { classes: ['purelb.io/purelbv2'], takesClassless: true },
    ],
    [
      'purelb',
      deployment(
        'purelb/allocator',
        'registry.gitlab.com/purelb/purelb/allocator:v0.13.0',
      ),
      {
        classes: ['purelb.io/purelbv2', 'purelb.io/purelb'],
        takesClassless: false,
      },
    ],
    [
      'openelb',
      deployment(
        'openelb-system/openelb-controller',
        'kubesphere/openelb-controller:v0.6.0',
      ),
      { takesClassless: false },
    ],
  ])('reads %s settings from its workload (%#)', (id, d, expected) => {
    expect(
      find(detectInstalledControllers(snapshot({ deployments: [d] })), id),
    ).toMatchObject(expected);
  });

  it.each([
    [
      'inlets',
      object('operator.inlets.dev/v1alpha1', 'Tunnel', 'default/web-tunnel'),
    ],
    ['purelb', object('purelb.io/v2', 'ServiceGroup', 'purelb/default')],
    ['openelb', object('network.kubesphere.io/v1alpha2', 'Eip', 'eip-pool')],
    ['tailscale', object('tailscale.com/v1alpha1', 'ProxyClass', 'prod')],
    ['loxilb', object('loxiurl.loxilb.io/v1', 'LoxiURL', 'pool')],
    [
      'aws-lbc',
      object('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', 'default/tgb'),
    ],
  ])('finds %s from its custom resources', (id, o) => {
    const entry = find(
      detectInstalledControllers(snapshot({ otherObjects: [o] })),
      id,
    );
    expect(entry?.evidence[0]).toMatch(/ exists$/);
  });

  describe('cloud providers', () => {
    const node = (name: string, providerID: string) => ({
      ...object('v1', 'Node', name),
      spec: { providerID },
    });

    it('names the cloud from Node providerIDs', () => {
      const list = detectInstalledControllers(
        snapshot({
          nodes: [
            node('a', 'aws:///us-east-1a/i-0abc'),
            node('b', 'aws:///us-east-1b/i-0def'),
          ],
        }),
      );
      expect(find(list, 'cloud-provider')).toEqual({
        controller: 'cloud-provider',
        evidence: [
          'Node a has spec.providerID aws:///us-east-1a/i-0abc (and 1 more Nodes) (AWS cloud controller manager)',
        ],
        classes: [],
        takesClassless: true,
      });
    });

    it('gives GCP its GKE classes', () => {
      expect(
        find(
          detectInstalledControllers(
            snapshot({ nodes: [node('a', 'gce://proj/zone/a')] }),
          ),
          'cloud-provider',
        )?.classes,
      ).toContain('networking.gke.io/l4-regional-external-legacy');
    });

    it('does not know whether an unlisted provider serves LoadBalancers', () => {
      expect(
        find(
          detectInstalledControllers(
            snapshot({ nodes: [node('a', 'acme://x')] }),
          ),
          'cloud-provider',
        ),
      ).toMatchObject({ takesClassless: null });
    });

    it('finds a CCM workload and its --controllers', () => {
      const ccm = daemonSet(
        'kube-system/hcloud-cloud-controller-manager',
        'docker.io/hetznercloud/hcloud-cloud-controller-manager:v1.20.0',
      );
      const noLb = deployment(
        'kube-system/openstack-cloud-controller-manager',
        'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.30.0',
        {
          args: [
            '--cloud-provider=openstack',
            '--controllers=cloud-node,cloud-node-lifecycle',
          ],
        },
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ daemonSets: [ccm] })),
          'cloud-provider',
        ),
      ).toMatchObject({
        evidence: [
          expect.stringContaining('(Hetzner Cloud cloud controller manager)'),
        ],
        takesClassless: true,
      });
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [noLb] })),
          'cloud-provider',
        ),
      ).toMatchObject({
        evidence: [
          expect.stringContaining(
            'OpenStack cloud controller manager, service controller disabled',
          ),
        ],
        takesClassless: false,
      });
    });

    it('does not mistake kube-vip-cloud-provider for a cloud', () => {
      const d = deployment(
        'kube-system/kvcp',
        'ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.10',
      );
      expect(
        find(
          detectInstalledControllers(snapshot({ deployments: [d] })),
          'cloud-provider',
        ),
      ).toBeUndefined();
    });
  });

  it('never throws on malformed snapshots', () => {
    const bad = {
      name: 'x',
      deployments: [
        null,
        5,
        { spec: { template: { spec: { containers: 'x' } } } },
        {
          spec: {
            template: {
              spec: {
                containers: [
                  { image: 5, command: 3, args: { a: 1 }, env: 'x' },
                ],
              },
            },
          },
        },
      ],
      daemonSets: 'nope',
      nodes: [
        null,
        { spec: { providerID: 5 } },
        {
          metadata: { annotations: { 'k3s.io/node-args': '{not json' } },
          spec: { providerID: 'k3s://n' },
        },
      ],
      otherObjects: [
        null,
        {
          kind: 'IPPool',
          apiVersion: 'projectcalico.org/v3',
          spec: { allowedUses: 'LoadBalancer' },
        },
      ],
      configMaps: [
        null,
        { metadata: { name: 'kubevip', namespace: 'kube-system' }, data: null },
      ],
      ipAddressPools: 'x',
    } as unknown as Parameters<typeof detectInstalledControllers>[0];
    expect(() => detectInstalledControllers(bad)).not.toThrow();
  });
});
