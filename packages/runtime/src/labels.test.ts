import { describe, expect, it } from "vitest";
import { buildImageLabels, buildLabels, InvalidLabelError, managedFilters } from "./labels";

describe("buildLabels", () => {
  it("always marks the object as managed", () => {
    expect(buildLabels()).toEqual({ "gantry.managed": "true" });
  });

  it("adds the owner labels that are known", () => {
    expect(buildLabels({ project: "p1", build: "b7" })).toEqual({
      "gantry.managed": "true",
      "gantry.project": "p1",
      "gantry.build": "b7",
    });
  });

  it("keeps extra gantry labels but never lets them unset managed", () => {
    const labels = buildLabels({ branch: "main" }, { "gantry.role": "db", "gantry.managed": "false" });
    expect(labels).toEqual({ "gantry.managed": "true", "gantry.branch": "main", "gantry.role": "db" });
  });

  it("refuses labels outside the gantry namespace and multi-line values", () => {
    expect(() => buildLabels({}, { "com.example": "x" })).toThrow(InvalidLabelError);
    expect(() => buildLabels({ branch: "a\nb" })).toThrow(InvalidLabelError);
  });
});

describe("managedFilters", () => {
  it("always filters on the managed label", () => {
    expect(managedFilters()).toEqual(["gantry.managed=true"]);
    expect(managedFilters({ project: "p1" }).sort()).toEqual(["gantry.managed=true", "gantry.project=p1"]);
  });
});

describe("buildImageLabels", () => {
  it("marks images apart, so containers inheriting them are not taken for managed ones", () => {
    expect(buildImageLabels({ project: "p" }, { "gantry.managed": "true" })).toEqual({
      "gantry.managed-image": "true",
      "gantry.project": "p",
    });
  });
});
