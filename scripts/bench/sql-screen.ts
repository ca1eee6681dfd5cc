// SQL screen benchmark: how fast the restore's SQL gate (the screen of every statement plus
// the byte bookkeeping that hands accepted bytes to psql) reads a large plain dump.
//
//   pnpm exec tsx scripts/bench/sql-screen.ts [--size-mb N] [--runs N] [--clean]
//
// Writes (or reuses) an Odoo-like plain dump of at least N MB (default 1024) under
// <data dir>/bench/sql-screen: per table a CREATE TABLE, a sequence, defaults, a plpgsql
// function, a COPY block of rows with text, numbers, JSON and escaped characters, then
// indexes, constraints and triggers. The file is read once untimed (into the page cache),
// then pushed through SqlGate in 1 MiB chunks --runs times (default 3); the median MB/s is
// printed beside the bare read of the same file.

import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { config } from "@gantry/config";
import { SqlGate } from "../../packages/backup/src/sql/gate";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const benchDir = resolve(config().GANTRY_DATA_DIR, "bench", "sql-screen");
const CHUNK = 1024 * 1024;

const preamble = `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

SET default_tablespace = '';

SET default_table_access_method = heap;
`;

function tableDdl(t: string): string {
  return `
--
-- Name: ${t}_touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.${t}_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.write_date := now(); -- a body may say anything
  RETURN NEW;
END
$$;

--
-- Name: ${t}; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.${t} (
    id integer NOT NULL,
    name character varying NOT NULL,
    note text,
    amount numeric,
    data jsonb,
    write_date timestamp without time zone
);

COMMENT ON TABLE public.${t} IS 'Odoo''s ${t}; with a quote';

CREATE SEQUENCE public.${t}_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.${t}_id_seq OWNED BY public.${t}.id;

ALTER TABLE ONLY public.${t} ALTER COLUMN id SET DEFAULT nextval('public.${t}_id_seq'::regclass);
`;
}

function rows(t: string, count: number, from: number): string {
  let out = "";
  for (let i = from; i < from + count; i++) {
    out += `${i}\t${t} record ${i}\tLine one\\nline two with a tab\\t and a backslash \\\\ ; DROP TABLE x; --\t${i * 3}.25\t{"k": ${i}, "s": "d\\\\u00e9j\\\\u00e0"}\t2026-01-01 10:00:00\n`;
  }
  return out;
}

function tablePost(t: string, rowCount: number): string {
  return `
SELECT pg_catalog.setval('public.${t}_id_seq', ${rowCount}, true);

ALTER TABLE ONLY public.${t}
    ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id);

CREATE INDEX ${t}_name_index ON public.${t} USING btree (name);

CREATE TRIGGER ${t}_touch BEFORE UPDATE ON public.${t} FOR EACH ROW EXECUTE FUNCTION public.${t}_touch();
`;
}

async function writeDump(path: string, sizeMb: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write(preamble);
  const target = sizeMb * 1024 * 1024;
  let written = 0;
  const tables = 300;
  const perTable = Math.ceil(target / tables / 150);
  for (let i = 0; i < tables; i++) await write(tableDdl(`t${i}`));
  for (let i = 0; i < tables && written < target; i++) {
    await write(`\nCOPY public.t${i} (id, name, note, amount, data, write_date) FROM stdin;\n`);
    for (let done = 0; done < perTable; done += 1000) {
      const block = rows(`t${i}`, Math.min(1000, perTable - done), done + 1);
      written += block.length;
      await write(block);
    }
    await write("\\.\n");
  }
  for (let i = 0; i < tables; i++) await write(tablePost(`t${i}`, perTable));
  out.end();
  await once(out, "finish");
}

async function timed(path: string, screen: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const gate = new SqlGate();
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    if (screen) gate.push(chunk as Buffer);
  }
  if (screen) gate.end();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (args.includes("--clean")) {
    await rm(benchDir, { recursive: true, force: true });
    return;
  }
  const sizeMb = Number(option("--size-mb", "1024"));
  const runs = Number(option("--runs", "3"));
  await mkdir(benchDir, { recursive: true });
  const path = join(benchDir, `dump-${sizeMb}.sql`);
  const existing = await stat(path).catch(() => undefined);
  if (!existing) {
    console.log(`writing ${path}`);
    await writeDump(path, sizeMb);
  }
  const mb = (await stat(path)).size / 1024 / 1024;
  await timed(path, false);
  const bare: number[] = [];
  const gated: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timed(path, false));
    gated.push(await timed(path, true));
    console.log(`run ${i + 1}: read ${bare.at(-1)!.toFixed(2)} s, gate ${gated.at(-1)!.toFixed(2)} s`);
  }
  console.log(
    `dump ${mb.toFixed(0)} MB: bare read ${(mb / median(bare)).toFixed(0)} MB/s, SQL gate ${(mb / median(gated)).toFixed(0)} MB/s (median of ${runs})`,
  );
}

await main();
