# The Debian mirror that debootstrap fetches from: DEBIAN_MIRROR when set, else the one this
# machine's apt already uses, so no package host is written in Gantry. Sourced by
# docker/build-images; prints the mirror, or fails with a message saying what to set.

# debian_mirror_of FILE... — the URI of the first enabled `deb` entry for Debian's main
# archive in apt source files: one-line `.list` files and deb822 `.sources` files (told apart
# by their name). Debian's main archive is the entry with component `main` and a bare
# release suite: this leaves out the security, updates and backports archives (suffixed
# suites) and third-party repositories (suites of their own naming).
debian_mirror_of() {
  awk '
    BEGIN {
      split("buster bullseye bookworm trixie forky duke sid oldoldstable oldstable stable testing unstable", names, " ")
      for (i in names) release[names[i]] = 1
    }
    function debian_main(suites, components,   s, c, ns, nc, i, j, has_release) {
      ns = split(suites, s, " "); nc = split(components, c, " ")
      for (i = 1; i <= ns; i++) if (s[i] in release) has_release = 1
      if (!has_release) return 0
      for (j = 1; j <= nc; j++) if (c[j] == "main") return 1
      return 0
    }
    function found(uri) {
      if (uri !~ /^(https?|ftp|file):/) return
      print uri; done = 1; exit
    }
    # deb822 stanza, checked at its end (a blank line, the next file or the end of input).
    function stanza_end() {
      if (types != "" && (" " types " ") ~ / deb / && tolower(enabled) != "no" && debian_main(suites, components)) {
        split(uris, u, " "); found(u[1])
      }
      types = uris = suites = components = enabled = key = ""
    }
    FNR == 1 { stanza_end() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*#/) next
      if ($0 ~ /^[ \t]*$/) { stanza_end(); next }
      if ($0 ~ /^[ \t]/) { value = $0 } # a continuation of the previous field
      else {
        key = tolower(substr($0, 1, index($0, ":") - 1)); value = substr($0, index($0, ":") + 1)
      }
      gsub(/[ \t]+/, " ", value)
      if (key == "types") types = types " " value
      else if (key == "uris") uris = uris " " value
      else if (key == "suites") suites = suites " " value
      else if (key == "components") components = components " " value
      else if (key == "enabled") { enabled = value; gsub(/ /, "", enabled) }
      next
    }
    {
      sub(/#.*/, "")
      if ($1 != "deb") next
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } # [ options ]
      rest = ""
      for (j = i + 2; j <= NF; j++) rest = rest " " $j
      if (debian_main($(i + 1), rest)) found($i)
    }
    END { if (!done) stanza_end() }
  ' "$@"
}

# The mirror for this machine: DEBIAN_MIRROR, else apt's sources in the order apt reads them.
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local apt="${APT_SOURCES_DIR:-/etc/apt}" files=() mirror
  [[ -f "$apt/sources.list" ]] && files+=("$apt/sources.list")
  local f
  for f in "$apt"/sources.list.d/*; do
    [[ -f "$f" && ( "$f" == *.list || "$f" == *.sources ) ]] && files+=("$f")
  done
  [[ ${#files[@]} -gt 0 ]] && mirror="$(debian_mirror_of "${files[@]}")"
  if [[ -z "${mirror:-}" ]]; then
    echo "no Debian mirror found in $apt/sources.list or $apt/sources.list.d: set DEBIAN_MIRROR to one (a URL of Debian's main archive)" >&2
    return 1
  fi
  echo "$mirror"
}
