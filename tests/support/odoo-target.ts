// Which Odoo the integration suites run: the stand-in (gantry/odoo, or another name given to
// docker/build-images) or, with ODOO_IMAGE naming an image that is not the stand-in, a real
// Odoo. The stand-in runs the fixtures at series 17.0 as always; a real Odoo runs them at
// the series it has (FIXTURE_SERIES, else the newest `N.0` tag of the image), with the
// fixture repositories rebased on that series (make-repos --series).
import { execFileSync } from "node:child_process";

export const ODOO_REPOSITORY = process.env.ODOO_IMAGE || "gantry/odoo";
const STANDIN_SERIES = "17.0";

function localTags(): { tag: string; standin: boolean }[] {
  let refs: string[];
  try {
    refs = execFileSync(
      "docker",
      ["images", "--filter", `reference=${ODOO_REPOSITORY}`, "--format", "{{.Tag}}"],
      {
        encoding: "utf8",
      },
    )
      .split("\n")
      .filter((tag) => /^\d+\.0$/.test(tag));
  } catch {
    return [];
  }
  return refs.map((tag) => {
    // The stand-in's images carry the series they were built for (docker/build-images).
    const label = execFileSync(
      "docker",
      [
        "image",
        "inspect",
        "--format",
        '{{ index .Config.Labels "gantry.series" }}',
        `${ODOO_REPOSITORY}:${tag}`,
      ],
      { encoding: "utf8" },
    ).trim();
    return { tag, standin: label !== "" && label !== "<no value>" };
  });
}

const tags = localTags();
/** True when the suites run on a real Odoo image rather than the stand-in. */
export const REAL_ODOO = tags.length > 0 && tags.every((t) => !t.standin);

function newest(series: string[]): string | undefined {
  return [...series].sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
}

/** The series the fixture projects are built at: 17.0 on the stand-in. */
export const FIXTURE_SERIES: string = REAL_ODOO
  ? process.env.FIXTURE_SERIES || newest(tags.map((t) => t.tag)) || STANDIN_SERIES
  : STANDIN_SERIES;

/** The fixture project written for FIXTURE_SERIES: `acme17` on the stand-in, `acme18` on 18.0. */
export const FIXTURE_REPO = `acme${FIXTURE_SERIES.split(".")[0]}`;

/** A manifest version of the fixtures at FIXTURE_SERIES: `v("1.1.0")` is `17.0.1.1.0` on the stand-in. */
export function fixtureVersion(moduleVersion: string): string {
  return `${FIXTURE_SERIES}.${moduleVersion}`;
}

/** make-repos' arguments writing FIXTURE_REPO (and acme-extra) into `dir`. */
export function makeReposArgs(dir: string): string[] {
  return FIXTURE_SERIES === STANDIN_SERIES ? [dir] : ["--series", FIXTURE_SERIES, dir];
}

/** What to do about a missing Odoo image: the stand-in is built, a real Odoo only by hand. */
export function missingImageHint(image: string): string {
  return ODOO_REPOSITORY === "gantry/odoo"
    ? `image ${image} is missing: run docker/build-images`
    : `image ${image} is missing: ODOO_IMAGE=${ODOO_REPOSITORY} docker/build-images for the stand-in under that name; a real Odoo image is built by hand outside the project (docker/README.md, "The contract with real Odoo")`;
}
