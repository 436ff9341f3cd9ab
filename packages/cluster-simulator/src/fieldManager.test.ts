import { parseFieldsV1, toFieldsV1, updateManagedFields } from './fieldManager';
import { KubeObject } from './types';

const svc = (
  ingressIp: string | undefined,
  extra: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'n', annotations: { a: '1', ...extra } },
  spec: { type: 'LoadBalancer' },
  status: { loadBalancer: ingressIp ? { ingress: [{ ip: ingressIp }] } : {} },
});

describe('field manager', () => {
  it('round-trips fieldsV1 including `.` and k:/v: keys', () => {
    const fields = {
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"x"': {} } },
      'f:spec': {
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {} } },
      },
    };
    expect(toFieldsV1(parseFieldsV1(fields))).toEqual(fields);
  });

  it('moves ownership to the writer, drops empty entries and refreshes only the writer time', () => {
    const created = svc('10.0.0.1');
    created.metadata.managedFields = updateManagedFields(
      undefined,
      created,
      { manager: 'kubectl' },
      't0',
      'v1',
    );
    expect(created.metadata.managedFields.map(m => m.manager)).toEqual([
      'kubectl',
    ]);

    const byChisel = svc('203.0.113.1');
    byChisel.metadata.managedFields = updateManagedFields(
      created,
      byChisel,
      { manager: 'chisel', subresource: 'status' },
      't1',
      'v1',
    );
    expect(byChisel.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', time: 't0' }),
      {
        manager: 'chisel',
        operation: 'Update',
        apiVersion: 'v1',
        time: 't1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } },
        subresource: 'status',
      },
    ]);
    expect(byChisel.metadata.managedFields[0].fieldsV1).not.toHaveProperty(
      'f:status',
    );

    const byController = svc('10.0.0.2', { pool: 'p' });
    byController.metadata.managedFields = updateManagedFields(
      byChisel,
      byController,
      { manager: 'controller', subresource: 'status' },
      't2',
      'v1',
    );
    expect(byController.metadata.managedFields.map(m => m.manager)).toEqual([
      'kubectl',
      'controller',
    ]);
    expect(byController.metadata.managedFields[1].fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { 'f:pool': {} } },
      'f:status': { 'f:loadBalancer': { 'f:ingress': {} } },
    });
  });

  it('keeps the entry time when nothing of the writer changes', () => {
    const a = svc('10.0.0.1');
    a.metadata.managedFields = updateManagedFields(
      undefined,
      a,
      { manager: 'kubectl' },
      't0',
      'v1',
    );
    const b = svc('10.0.0.1');
    expect(
      updateManagedFields(a, b, { manager: 'kubectl' }, 't9', 'v1')[0].time,
    ).toBe('t0');
  });
});
