import {
  describeWriter,
  managedFieldsOf,
  ownsAnnotation,
  ownsCondition,
  ownsFinalizer,
  ownsIngress,
  ownsLabel,
  ownsLoadBalancerIP,
} from './managedFields';
import {
  INGRESS_FIELDS,
  LB_IP_FIELDS,
  annotationFields,
  finalizerFields,
  merge,
  service,
  writer,
} from './__fixtures__/builders';

function single(
  fields: Record<string, unknown>,
  opts?: Parameters<typeof writer>[2],
) {
  return managedFieldsOf(
    service({ managedFields: [writer('m', fields, opts)] }),
  )[0];
}

describe('managedFields', () => {
  it('reads the owned fields of fieldsV1', () => {
    const w = single(
      merge(
        INGRESS_FIELDS,
        LB_IP_FIELDS,
        annotationFields('metallb.io/ip-allocated-from-pool'),
        { 'f:metadata': { 'f:labels': { 'f:implementation': {} } } },
        finalizerFields('service.kubernetes.io/load-balancer-cleanup'),
        {
          'f:status': {
            'f:conditions': {
              'k:{"type":"TailscaleProxyReady"}': { '.': {}, 'f:status': {} },
            },
          },
        },
      ),
    );
    expect(ownsIngress(w)).toBe(true);
    expect(ownsLoadBalancerIP(w)).toBe(true);
    expect(ownsAnnotation(w, 'metallb.io/ip-allocated-from-pool')).toBe(true);
    expect(ownsAnnotation(w, 'metallb.io/loadBalancerIPs')).toBe(false);
    expect(ownsLabel(w, 'implementation')).toBe(true);
    expect(
      ownsFinalizer(w, 'service.kubernetes.io/load-balancer-cleanup'),
    ).toBe(true);
    expect(ownsFinalizer(w, 'other')).toBe(false);
    expect(ownsCondition(w, 'TailscaleProxyReady')).toBe(true);
    expect(ownsCondition(w, 'Other')).toBe(false);
  });

  it('does not count a parent without the leaf', () => {
    const w = single({ 'f:status': { 'f:loadBalancer': {} } });
    expect(ownsIngress(w)).toBe(false);
  });

  it('describes a writer with operation, subresource, owned fields and time', () => {
    expect(
      describeWriter(single(INGRESS_FIELDS, { subresource: 'status' })),
    ).toBe(
      'managedFields: manager "m" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    );
    expect(
      describeWriter(single(merge(INGRESS_FIELDS, LB_IP_FIELDS)), [
        'annotation a/b',
      ]),
    ).toBe(
      'managedFields: manager "m" (Update) owns status.loadBalancer.ingress, spec.loadBalancerIP, annotation a/b at 2025-01-09T10:00:00Z',
    );
    expect(describeWriter({ manager: 'x', fields: {} })).toBe(
      'managedFields: manager "x" has an entry',
    );
  });

  it('tolerates malformed entries', () => {
    const svc = service();
    (svc.metadata as Record<string, unknown>).managedFields = [
      null,
      'x',
      { manager: 5, fieldsV1: [] },
      { fieldsV1: { 'f:metadata': { 'f:finalizers': { 'v:{bad': {} } } } },
    ];
    const writers = managedFieldsOf(svc);
    expect(writers).toHaveLength(2);
    expect(writers[0]).toEqual({
      manager: '',
      operation: undefined,
      subresource: undefined,
      time: undefined,
      fields: {},
    });
    expect(ownsFinalizer(writers[1], 'x')).toBe(false);
    (svc.metadata as Record<string, unknown>).managedFields = 'nope';
    expect(managedFieldsOf(svc)).toEqual([]);
  });
});
