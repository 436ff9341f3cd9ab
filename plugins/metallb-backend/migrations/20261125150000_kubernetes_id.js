// @ts-check

/**
 * Services get the value of their `backstage.io/kubernetes-id` label in an indexed column, so
 * `GET /entity/...` for the common annotation reads the entity's rows only instead of every
 * stored Service. Existing rows are filled from their labels.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('metallb_services', table => {
    table
      .string('kubernetes_id', 255)
      .nullable()
      .comment('Label backstage.io/kubernetes-id, for entity lookups');
    table.index(['kubernetes_id'], 'metallb_services_kubernetes_id_idx');
  });
  const rows = await knex('metallb_services').select(
    'cluster',
    'namespace',
    'name',
    'labels',
  );
  for (const row of rows) {
    let id = null;
    try {
      id = JSON.parse(row.labels)['backstage.io/kubernetes-id'] ?? null;
    } catch {
      // Unreadable labels map to no entity, as before.
    }
    if (typeof id === 'string' && id.length <= 255) {
      await knex('metallb_services')
        .where({
          cluster: row.cluster,
          namespace: row.namespace,
          name: row.name,
        })
        .update({ kubernetes_id: id });
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('metallb_services', table => {
    table.dropIndex(['kubernetes_id'], 'metallb_services_kubernetes_id_idx');
    table.dropColumn('kubernetes_id');
  });
};
