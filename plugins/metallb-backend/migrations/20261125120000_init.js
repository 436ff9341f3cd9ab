// @ts-check

/**
 * Initial schema of the metallb plugin: latest verdict per Service, latest good state per cluster,
 * every scan run, and per-run counts for trends.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('metallb_clusters', table => {
    table.comment('Latest successful scan result per cluster');
    table.string('name', 255).primary().notNullable();
    table.timestamp('scanned_at', { useTz: true }).notNullable();
    table
      .text('report', 'longtext')
      .notNullable()
      .comment('ClusterReport JSON without services');
    table
      .text('snapshot', 'longtext')
      .notNullable()
      .comment('ClusterSnapshot JSON used by /validate');
  });

  await knex.schema.createTable('metallb_services', table => {
    table.comment('Latest verdict per LoadBalancer Service');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('uid', 255).nullable();
    table.text('labels').notNullable();
    table.string('status', 16).notNullable();
    table.text('report', 'longtext').notNullable();
    table
      .text('observation')
      .notNullable()
      .comment('State kept to measure churn between scans');
    table.timestamp('first_seen', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'namespace', 'name']);
    table.index(['status'], 'metallb_services_status_idx');
  });

  await knex.schema.createTable('metallb_scan_runs', table => {
    table.comment('One row per scan of one cluster');
    table.increments('id').primary();
    table.string('cluster', 255).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running, ok, partial or failed');
    table.text('error').nullable();
    table.text('problems').notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.index(['cluster', 'started_at'], 'metallb_scan_runs_cluster_idx');
  });

  await knex.schema.createTable('metallb_history', table => {
    table.comment(
      'Counts per cluster, rule and severity for each successful scan',
    );
    table.increments('id').primary();
    table.integer('run_id').notNullable();
    table.string('cluster', 255).notNullable();
    table.timestamp('scanned_at', { useTz: true }).notNullable();
    table
      .string('rule', 64)
      .notNullable()
      .comment("A rule id, or '*' for Service status counts");
    table.string('severity', 16).notNullable();
    table.integer('count').notNullable();
    table.index(['cluster', 'scanned_at'], 'metallb_history_cluster_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('metallb_history');
  await knex.schema.dropTable('metallb_scan_runs');
  await knex.schema.dropTable('metallb_services');
  await knex.schema.dropTable('metallb_clusters');
};
