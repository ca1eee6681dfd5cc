// The copy of a live database (production into staging) against the real PostgreSQL server:
// every row, sequence, index and constraint; objects owned by the target's role; one
// consistent moment even while the source keeps being written.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROD_CLUSTER } from "../../support/clusters";

const server = {
  host: PROD_CLUSTER.host,
  port: PROD_CLUSTER.port,
  user: PROD_CLUSTER.user,
  password: PROD_CLUSTER.password,
};
const suffix = randomBytes(4).toString("hex");
const source = `gantry_copy_src_${suffix}`;
const role = `gantry_copy_role_${suffix}`;
const password = randomBytes(16).toString("hex");
const targets: string[] = [];

let copyDatabase: typeof import("@gantry/postgres").copyDatabase;

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  database: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ ...server, database });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function newTarget(): Promise<string> {
  const name = `gantry_copy_dst_${suffix}_${targets.length}`;
  targets.push(name);
  await sql("postgres", `CREATE DATABASE "${name}" OWNER "${role}" TEMPLATE template0 ENCODING 'UTF8'`);
  return name;
}

const checksum = (table: string) =>
  `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) AS sum FROM ${table} t`;

beforeAll(async () => {
  ({ copyDatabase } = await import("@gantry/postgres"));
  await sql("postgres", `CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
  // As createRole does: the administrator (no superuser) acts on a role it is a member of.
  await sql("postgres", `GRANT "${role}" TO CURRENT_USER`);
  await sql("postgres", `CREATE DATABASE "${source}"`);
  await sql(
    source,
    `CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar NOT NULL, amount numeric(16,2),
       created timestamp, payload jsonb, photo bytea, active boolean, note text);
     CREATE INDEX res_partner_name_index ON res_partner (name);
     CREATE TABLE sale_order (id serial PRIMARY KEY, partner_id int REFERENCES res_partner (id),
       total numeric, state varchar CHECK (state IN ('draft', 'sale')));
     CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar UNIQUE, value text);
     CREATE VIEW partner_totals AS SELECT partner_id, sum(total) AS total FROM sale_order GROUP BY partner_id;
     INSERT INTO res_partner (name, amount, created, payload, photo, active, note)
       SELECT 'Partner ' || i, i / 7.0, now() - (i || ' minutes')::interval,
              jsonb_build_object('i', i, 'tags', jsonb_build_array('a', 'b')),
              decode(md5(i::text), 'hex'), i % 3 = 0, CASE WHEN i % 5 = 0 THEN NULL ELSE repeat('x', i % 50) END
         FROM generate_series(1, 40000) i;
     INSERT INTO sale_order (partner_id, total, state)
       SELECT 1 + (i % 40000), i * 1.5, CASE WHEN i % 2 = 0 THEN 'draft' ELSE 'sale' END FROM generate_series(1, 30000) i;
     INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', 'abc'), ('web.base.url', 'http://x');
     -- What the schema's last pass restores: a trigger, a comment on an index, a materialized
     -- view and its index; and an inheritance child, copied apart from its parent.
     CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.note := ''touched''; RETURN NEW; END';
     CREATE TRIGGER res_partner_touch BEFORE UPDATE ON res_partner FOR EACH ROW EXECUTE FUNCTION touch();
     COMMENT ON INDEX res_partner_name_index IS 'by name';
     CREATE MATERIALIZED VIEW order_states AS SELECT state, count(*) AS n FROM sale_order GROUP BY state;
     CREATE UNIQUE INDEX order_states_state ON order_states (state);
     CREATE TABLE res_partner_archive (archived date) INHERITS (res_partner);
     INSERT INTO res_partner_archive (name, archived) SELECT 'Old ' || i, current_date FROM generate_series(1, 500) i;`,
  );
}, 120_000);

afterAll(async () => {
  for (const name of [...targets, source]) {
    await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
  await sql("postgres", `DROP ROLE IF EXISTS "${role}"`).catch(() => {});
}, 60_000);

describe("copying a live database", () => {
  for (const [label, ownStreamBytes] of [
    ["every table in its own binary stream", 0],
    ["every table in the pg_dump stream", Number.MAX_SAFE_INTEGER],
  ] as const) {
    it(`${label}: rows, sequences, indexes, constraints and views, all owned by the target's role`, async () => {
      const target = await newTarget();
      const report = await copyDatabase({
        source: { ...server, database: source },
        target: { ...server, user: role, password, database: target },
        jobs: 2,
        ownStreamBytes,
      });
      expect(report.tables).toBe(4);
      expect(report.phases.map((phase) => phase.name)).toEqual(
        expect.arrayContaining([
          "snapshot",
          "schema",
          "rows",
          "indexes",
          "foreign keys",
          "post-data",
          "flush",
        ]),
      );
      for (const table of [
        "res_partner",
        "ONLY res_partner",
        "res_partner_archive",
        "sale_order",
        "ir_config_parameter",
      ]) {
        expect(await sql(target, checksum(table))).toEqual(await sql(source, checksum(table)));
      }
      const sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename";
      expect(await sql(target, sequences)).toEqual(await sql(source, sequences));
      const shape =
        "SELECT conname, contype FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname";
      expect(await sql(target, shape)).toEqual(await sql(source, shape));
      const indexes = "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname";
      expect(await sql(target, indexes)).toEqual(await sql(source, indexes));
      const owners = await sql<{ owner: string }>(
        target,
        "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace",
      );
      expect(owners).toEqual([{ owner: role }]);
      const rest = `SELECT (SELECT count(*)::int FROM pg_trigger WHERE tgname = 'res_partner_touch') AS triggers,
          obj_description('res_partner_name_index'::regclass, 'pg_class') AS comment,
          (SELECT string_agg(state || n, ',' ORDER BY state) FROM order_states) AS states,
          (SELECT count(*)::int FROM pg_indexes WHERE indexname = 'order_states_state') AS view_indexes`;
      expect(await sql(target, rest)).toEqual(await sql(source, rest));
      // The view works, and the constraints hold in the copy.
      expect(
        (await sql<{ n: number }>(target, "SELECT count(*)::int AS n FROM partner_totals"))[0]?.n,
      ).toBeGreaterThan(0);
      await expect(
        sql(target, "INSERT INTO sale_order (partner_id, state) VALUES (999999, 'draft')"),
      ).rejects.toThrow(/foreign key/);
      // The next id continues after the copied ones.
      const next = await sql<{ id: number }>(
        target,
        "INSERT INTO ir_config_parameter (key) VALUES ('k') RETURNING id",
      );
      expect(next[0]?.id).toBe(3);
    }, 120_000);
  }

  it("is one consistent moment while the source keeps being written", async () => {
    // Each writer transaction adds one order and raises its partner's amount by its total:
    // any copy that mixes moments breaks the equality between the two tables.
    await sql(source, "CREATE TABLE ledger (id serial PRIMARY KEY, total numeric)");
    await sql(source, "CREATE TABLE balance (id int PRIMARY KEY, total numeric)");
    await sql(source, "INSERT INTO balance VALUES (1, 0)");
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      const client = new pg.Client({ ...server, database: source });
      await client.connect();
      try {
        while (writing) {
          await client.query("BEGIN");
          await client.query("INSERT INTO ledger (total) VALUES (1)");
          await client.query("UPDATE balance SET total = total + 1 WHERE id = 1");
          await client.query("COMMIT");
          writes += 1;
        }
      } finally {
        await client.end();
      }
    })();
    const target = await newTarget();
    try {
      await copyDatabase({
        source: { ...server, database: source },
        target: { ...server, user: role, password, database: target },
        jobs: 2,
        ownStreamBytes: 0,
      });
    } finally {
      writing = false;
      await writer;
    }
    const [ledger] = await sql<{ n: string }>(
      target,
      "SELECT coalesce(sum(total), 0)::text AS n FROM ledger",
    );
    const [balance] = await sql<{ n: string }>(target, "SELECT total::text AS n FROM balance WHERE id = 1");
    expect(writes).toBeGreaterThan(0);
    expect(ledger?.n).toBe(balance?.n);
  }, 120_000);

  it("connected as the administrator, restores as the target's role: it owns every object", async () => {
    const target = await newTarget();
    await copyDatabase({
      source: { ...server, database: source },
      target: { ...server, database: target },
      targetRole: role,
      jobs: 2,
      ownStreamBytes: 0,
    });
    expect(await sql(target, checksum("res_partner"))).toEqual(await sql(source, checksum("res_partner")));
    const owners = await sql<{ owner: string }>(
      target,
      "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace",
    );
    expect(owners).toEqual([{ owner: role }]);
  }, 120_000);

  it("loading a parent table keeps the rows of its children already copied", async () => {
    const parent = `${source}_inherit`;
    targets.push(parent);
    await sql("postgres", `CREATE DATABASE "${parent}"`);
    await sql(
      parent,
      `CREATE TABLE p (id int, x text); CREATE TABLE c (y text) INHERITS (p);
       INSERT INTO p SELECT i, 'p' FROM generate_series(1, 10) i;
       INSERT INTO c SELECT i, 'c', repeat('y', 100) FROM generate_series(1, 5000) i;`,
    );
    const target = await newTarget();
    // One lane, largest first: the child is loaded before its parent is emptied for COPY FREEZE.
    await copyDatabase({
      source: { ...server, database: parent },
      target: { ...server, user: role, password, database: target },
      jobs: 1,
      ownStreamBytes: 0,
    });
    const counts = "SELECT (SELECT count(*)::int FROM ONLY p) AS p, (SELECT count(*)::int FROM c) AS c";
    expect(await sql(target, counts)).toEqual([{ p: 10, c: 5000 }]);
  }, 120_000);

  it("a failed index build stops every stream and leaves no connection behind", async () => {
    const target = await newTarget();
    // Another table holding an index of the same name: the tables are created, the index is not.
    await sql(
      target,
      `CREATE TABLE other (id int); CREATE INDEX res_partner_name_index ON other (id);
      ALTER TABLE other OWNER TO "${role}"`,
    );
    await expect(
      copyDatabase({
        source: { ...server, database: source },
        target: { ...server, user: role, password, database: target },
        jobs: 2,
        ownStreamBytes: 0,
      }),
    ).rejects.toThrow(/building indexes failed.*already exists/s);
    // The caller drops the target next: nothing of the copy may still hold it (or production).
    const left = async () =>
      (
        await sql<{ n: number }>(
          "postgres",
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'gantry-copy' AND datname = ANY($1)",
          [[source, target]],
        )
      )[0]!.n;
    // A killed client's server process ends when it next reads or writes: wait for that, bounded.
    for (let i = 0; i < 100 && (await left()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toBe(0);
    await sql("postgres", `DROP DATABASE "${target}"`);
    targets.splice(targets.indexOf(target), 1);
  }, 120_000);

  it("fails with the tool's message when the target refuses the rows", async () => {
    const target = await newTarget();
    // A table already there: creating it again fails, and the copy says so instead of going on.
    await sql(target, `CREATE TABLE sale_order (id int); ALTER TABLE sale_order OWNER TO "${role}"`);
    await expect(
      copyDatabase({
        source: { ...server, database: source },
        target: { ...server, user: role, password, database: target },
        jobs: 2,
      }),
    ).rejects.toThrow(/creating the tables failed.*already exists/s);
  }, 120_000);
});
