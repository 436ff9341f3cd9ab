import { isUserTool, recognizeWriter } from './managers';
import { managedFieldsOf } from './managedFields';
import {
  INGRESS_FIELDS,
  METALLB,
  annotationFields,
  contextFor,
  deployment,
  finalizerFields,
  merge,
  service,
  snapshot,
  writer,
} from './__fixtures__/builders';
import type { Service } from '../model/kubernetes';
import type { ClusterSnapshot } from '../model/snapshot';

function claim(svc: Service, snap: ClusterSnapshot = snapshot()) {
  const [w] = managedFieldsOf(svc);
  return recognizeWriter(w, svc, contextFor(svc, snap))?.controller;
}

function withWriter(
  manager: string,
  fields: Record<string, unknown>,
  extra: Parameters<typeof service>[0] = {},
) {
  return service({
    ...extra,
    managedFields: [writer(manager, fields, { subresource: 'status' })],
  });
}

describe('recognizeWriter', () => {
  it.each([
    ['chisel-operator', INGRESS_FIELDS, 'chisel-operator'],
    ['kube-vip', INGRESS_FIELDS, 'kube-vip'],
    [
      'kube-vip-cloud-provider',
      { 'f:spec': { 'f:loadBalancerIP': {} } },
      'kube-vip-cloud-provider',
    ],
    ['k3s', INGRESS_FIELDS, 'k3s-servicelb'],
    ['cilium-operator-lb-ipam', INGRESS_FIELDS, 'cilium'],
    ['kube-controllers', INGRESS_FIELDS, 'calico'],
    ['purelb-allocator', INGRESS_FIELDS, 'purelb'],
    ['openelb-controller', INGRESS_FIELDS, 'openelb'],
    ['tailscale-operator', INGRESS_FIELDS, 'tailscale'],
    ['inlets-operator', INGRESS_FIELDS, 'inlets'],
    ['kube-loxilb', INGRESS_FIELDS, 'loxilb'],
    ['aws-load-balancer-controller', INGRESS_FIELDS, 'aws-lbc'],
    ['aws-cloud-controller-manager', INGRESS_FIELDS, 'cloud-provider'],
    ['kube-controller-manager', INGRESS_FIELDS, 'cloud-provider'],
  ])('claims manager %s', (manager, fields, expected) => {
    expect(claim(withWriter(manager, fields))).toBe(expected);
  });

  it('claims "controller" for MetalLB only with its pool annotation', () => {
    expect(
      claim(
        withWriter(
          'controller',
          merge(
            INGRESS_FIELDS,
            annotationFields('metallb.io/ip-allocated-from-pool'),
          ),
        ),
      ),
    ).toBe('metallb');
    expect(
      claim(
        withWriter(
          'controller',
          annotationFields('metallb.universe.tf/ip-allocated-from-pool'),
        ),
      ),
    ).toBe('metallb');
    expect(claim(withWriter('controller', INGRESS_FIELDS))).toBeUndefined();
  });

  it('claims a bare "controller" status writer for MetalLB when MetalLB serves the Service and AWS LBC is absent', () => {
    expect(
      claim(
        withWriter('controller', INGRESS_FIELDS),
        snapshot({ deployments: [METALLB] }),
      ),
    ).toBe('metallb');
    const lbc = deployment(
      'kube-system/aws-load-balancer-controller',
      'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0',
    );
    expect(
      claim(
        withWriter('controller', INGRESS_FIELDS),
        snapshot({ deployments: [METALLB, lbc] }),
      ),
    ).toBeUndefined();
  });

  it('claims "controller" for AWS LBC with its finalizer or NLB hostname', () => {
    expect(
      claim(
        withWriter('controller', finalizerFields('service.k8s.aws/resources')),
      ),
    ).toBe('aws-lbc');
    const svc = withWriter('controller', INGRESS_FIELDS, {
      ingress: [
        { hostname: 'k8s-default-web-0123456789.elb.us-west-2.amazonaws.com' },
      ],
    });
    expect(claim(svc, snapshot({ deployments: [METALLB] }))).toBe('aws-lbc');
  });

  it('claims "unknown" only when it owns chisel\'s finalizer', () => {
    expect(
      claim(
        withWriter(
          'unknown',
          finalizerFields('service.chisel-operator.io/finalizer'),
        ),
      ),
    ).toBe('chisel-operator');
    expect(claim(withWriter('unknown', INGRESS_FIELDS))).toBeUndefined();
  });

  it('claims "operator" for Tailscale only with Tailscale marks', () => {
    expect(claim(withWriter('operator', INGRESS_FIELDS))).toBeUndefined();
    expect(
      claim(withWriter('operator', INGRESS_FIELDS, { lbClass: 'tailscale' })),
    ).toBe('tailscale');
    expect(
      claim(withWriter('operator', finalizerFields('tailscale.com/finalizer'))),
    ).toBe('tailscale');
  });

  it('claims "allocator" for PureLB only with PureLB annotations', () => {
    expect(claim(withWriter('allocator', INGRESS_FIELDS))).toBeUndefined();
    expect(
      claim(
        withWriter('allocator', annotationFields('purelb.io/allocated-by')),
      ),
    ).toBe('purelb');
    expect(
      claim(
        withWriter('allocator', INGRESS_FIELDS, {
          annotations: { 'purelb.io/allocated-by': 'PureLB' },
        }),
      ),
    ).toBe('purelb');
  });

  it('claims "manager" for OpenELB only with its Eip label', () => {
    expect(claim(withWriter('manager', INGRESS_FIELDS))).toBeUndefined();
    expect(
      claim(
        withWriter('manager', {
          'f:metadata': {
            'f:labels': { 'f:eip.openelb.kubesphere.io/v1alpha2': {} },
          },
        }),
      ),
    ).toBe('openelb');
  });

  it('does not claim k3s writes unrelated to load balancing', () => {
    expect(claim(withWriter('k3s', annotationFields('x')))).toBeUndefined();
  });
});

describe('isUserTool', () => {
  it.each([
    'kubectl',
    'kubectl-client-side-apply',
    'kubectl-edit',
    'helm',
    'argocd-controller',
    'kustomize-controller',
    'flux',
    'terraform-provider-kubernetes',
    'pulumi-kubernetes',
    'before-first-apply',
  ])('%s is a user tool', manager => expect(isUserTool(manager)).toBe(true));

  it.each([
    'controller',
    'chisel-operator',
    'kube-vip',
    'my-lb',
    'unknown',
    'helmet',
  ])('%s is not', manager => expect(isUserTool(manager)).toBe(false));
});
