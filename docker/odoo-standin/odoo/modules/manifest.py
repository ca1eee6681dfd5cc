"""Finding modules and reading their manifests the way Odoo does: a manifest is a
Python dict literal read with ast.literal_eval, never executed."""

import ast
import os
import re

from .. import release

MANIFEST_NAMES = ("__manifest__.py", "__openerp__.py")
VERSION_RE = re.compile(r"^[0-9]+\.[0-9]+(?:\.[0-9]+)?$")
MODULE_NAME_RE = re.compile(r"^\w{1,256}$")

MANIFEST_DEFAULTS = {
    "application": False,
    "author": "Odoo S.A.",
    "auto_install": False,
    "category": "Uncategorized",
    "data": [],
    "demo": [],
    "depends": [],
    "description": "",
    "installable": True,
    "license": "LGPL-3",
    "post_init_hook": "",
    "pre_init_hook": "",
    "post_load": "",
    "summary": "",
    "version": "1.0",
    "external_dependencies": {},
}


class ManifestError(Exception):
    """A manifest that cannot be read or that Odoo would reject."""


def adapt_version(version, serie=None):
    """Odoo's rule: `x.y`, `x.y.z`, `<serie>.x.y` or `<serie>.x.y.z`; returns the
    series-prefixed version, raises ValueError otherwise."""
    serie = serie or release.major_version
    if version == serie or not version.startswith(serie + "."):
        base_version = version
        version = f"{serie}.{version}"
    else:
        base_version = version[len(serie) + 1:]
    if not VERSION_RE.match(base_version):
        raise ValueError(
            f"Invalid version {base_version!r}. Modules should have a version in format "
            f"`x.y`, `x.y.z`, `{serie}.x.y` or `{serie}.x.y.z`."
        )
    return version


def parse_version(version):
    """A comparable key for dotted versions ('17.0.1.1.0' -> (17, 0, 1, 1, 0))."""
    parts = []
    for piece in str(version).replace("saas~", "").split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return tuple(parts)


def parse_manifest_text(text, filename="__manifest__.py"):
    """Reads a manifest as a literal. Code (calls, names, comprehensions, lambdas) is
    rejected by ast.literal_eval before anything could run."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ManifestError(f"{filename}: not a Python dict literal ({exc.__class__.__name__})") from None
    if not isinstance(value, dict):
        raise ManifestError(f"{filename}: the manifest must be a dict")
    return value


def load_manifest(module, mod_path, serie=None):
    """The manifest of the module in `mod_path`, with Odoo's defaults and the adapted version."""
    for name in MANIFEST_NAMES:
        path = os.path.join(mod_path, name)
        if os.path.isfile(path):
            break
    else:
        raise ManifestError(f"module {module}: no manifest file found in {mod_path}")
    with open(path, encoding="utf-8") as handle:
        raw = parse_manifest_text(handle.read(), path)
    manifest = dict(MANIFEST_DEFAULTS)
    manifest.update(raw)
    for key in ("depends", "data", "demo"):
        if not isinstance(manifest[key], (list, tuple)) or not all(isinstance(x, str) for x in manifest[key]):
            raise ManifestError(f"module {module}: '{key}' must be a list of strings")
        manifest[key] = list(manifest[key])
    if not isinstance(manifest["version"], str):
        raise ManifestError(f"module {module}: 'version' must be a string")
    try:
        manifest["version"] = adapt_version(manifest["version"], serie)
    except ValueError as exc:
        raise ManifestError(f"Invalid manifest of module {module}: {exc}") from None
    manifest["name"] = manifest.get("name") or module
    manifest["technical_name"] = module
    manifest["addons_path"] = os.path.dirname(mod_path)
    manifest["module_path"] = mod_path
    auto = manifest["auto_install"]
    if isinstance(auto, (list, tuple)):
        manifest["auto_install"] = set(auto)
    elif auto:
        manifest["auto_install"] = set(manifest["depends"])
    else:
        manifest["auto_install"] = None
    return manifest


def is_module_dir(path):
    return os.path.isdir(path) and any(os.path.isfile(os.path.join(path, n)) for n in MANIFEST_NAMES)


def is_addons_dir(path):
    """An addons folder is a folder with at least one module in it."""
    try:
        entries = os.listdir(path)
    except OSError:
        return False
    return any(not e.startswith(".") and is_module_dir(os.path.join(path, e)) for e in entries)


def find_addons_dirs(root):
    """The repository root and every subfolder (submodules included) holding modules;
    folders starting with '.' are skipped, module folders are not descended into."""
    found = []

    def walk(path, depth):
        if is_module_dir(path):
            return
        if is_addons_dir(path):
            found.append(path)
        if depth >= 4:
            return
        try:
            entries = sorted(os.listdir(path))
        except OSError:
            return
        for entry in entries:
            child = os.path.join(path, entry)
            if entry.startswith(".") or entry in ("node_modules", "__pycache__"):
                continue
            if os.path.isdir(child) and not is_module_dir(child):
                walk(child, depth + 1)

    walk(root, 0)
    return found


def scan_modules(addons_paths):
    """{module name: module path}; the first addons path listing a module wins, like Odoo."""
    modules = {}
    for addons_path in addons_paths:
        try:
            entries = sorted(os.listdir(addons_path))
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(".") or not MODULE_NAME_RE.match(entry):
                continue
            path = os.path.join(addons_path, entry)
            if entry not in modules and is_module_dir(path):
                modules[entry] = path
    return modules
