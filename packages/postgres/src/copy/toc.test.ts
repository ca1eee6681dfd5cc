import { describe, expect, it } from "vitest";
import { classify, PG_CLASS, PG_CONSTRAINT, parseToc, useList } from "./toc";

const listing = `;
; Archive created at 2026-12-07 04:00:06 UTC
;     TOC Entries: 12
;
5021; 2606 221259 CONSTRAINT public account_move_line account_move_line_pkey gantry
5018; 1259 221266 INDEX public account_move_line_date_index gantry
5623; 2606 221260 FK CONSTRAINT public account_move_line account_move_line_partner_id_fkey gantry
5700; 2620 221300 TRIGGER public account_move_line touch gantry
5701; 1259 221266 COMMENT public INDEX account_move_line_date_index gantry
5702; 0 0 INDEX ATTACH public child_idx gantry
5703; 1259 999 INDEX public unknown_index gantry
`;

describe("the post-data entries of a schema dump", () => {
  it("reads pg_restore's listing, comments and headers left out", () => {
    const entries = parseToc(listing);
    expect(entries.map((e) => e.id)).toEqual([5021, 5018, 5623, 5700, 5701, 5702, 5703]);
    expect(entries[1]).toEqual({
      id: 5018,
      catalog: PG_CLASS,
      oid: 221266,
      rest: "INDEX public account_move_line_date_index gantry",
    });
  });

  it("ties indexes and constraints to their tables through the catalog, by OID, not by name", () => {
    const catalog = [
      { kind: "p", oid: 221259, table: 42, references: 0 },
      { kind: "i", oid: 221266, table: 42, references: 0 },
      { kind: "f", oid: 221260, table: 42, references: 7 },
    ];
    expect(classify(parseToc(listing), catalog)).toEqual([
      { id: 5021, kind: "key", table: 42, exclusive: true },
      { id: 5018, kind: "key", table: 42, exclusive: false },
      { id: 5623, kind: "foreign-key", table: 42, references: 7 },
      { id: 5700, kind: "other" },
      // A comment on an index carries the index's identity but is no index: after everything.
      { id: 5701, kind: "other" },
      { id: 5702, kind: "other" },
      // Not in the catalog read from the snapshot: left to the final pass.
      { id: 5703, kind: "other" },
    ]);
  });

  it("a check constraint or a constraint of another kind than printed is no key", () => {
    const entries = parseToc(
      `1; ${PG_CONSTRAINT} 5 CONSTRAINT public t t_check o\n2; ${PG_CONSTRAINT} 6 CONSTRAINT public t t_fk o\n`,
    );
    const catalog = [
      { kind: "c", oid: 5, table: 1, references: 0 },
      { kind: "f", oid: 6, table: 1, references: 2 },
    ];
    expect(classify(entries, catalog)).toEqual([
      { id: 1, kind: "other" },
      { id: 2, kind: "other" },
    ]);
  });

  it("writes a use-list pg_restore reads", () => {
    expect(useList([3, 14])).toBe("3;\n14;\n");
  });
});
