"""Migration scripts: MODULE/migrations/VERSION/{pre,post,end}-*.py, each with
`migrate(cr, version)`, run by an update when installed < VERSION <= manifest version."""

import importlib.util
import logging
import os

from .manifest import adapt_version, parse_version

_logger = logging.getLogger("odoo.modules.migration")


def _versions(module_path, serie):
    folder = os.path.join(module_path, "migrations")
    if not os.path.isdir(folder):
        return []
    found = []
    for entry in os.listdir(folder):
        if not os.path.isdir(os.path.join(folder, entry)):
            continue
        if entry == "0.0.0":
            found.append((entry, None))
            continue
        try:
            found.append((entry, adapt_version(entry, serie)))
        except ValueError:
            _logger.warning("invalid migration folder %s in %s", entry, folder)
    return sorted(found, key=lambda item: parse_version(item[1] or "0"))


def run_stage(cr, module, module_path, stage, installed_version, target_version, serie):
    """Runs the `stage` scripts (pre, post or end) of every pending migration version."""
    if not installed_version:
        return
    for folder, version in _versions(module_path, serie):
        if version is not None and not (parse_version(installed_version) < parse_version(version) <= parse_version(target_version)):
            continue
        directory = os.path.join(module_path, "migrations", folder)
        for name in sorted(os.listdir(directory)):
            if not (name.startswith(stage + "-") and name.endswith(".py")):
                continue
            path = os.path.join(directory, name)
            _logger.info("module %s: Running migration [%s%s] %s", module, folder, ">" if stage == "pre" else ("<" if stage == "post" else "$"), name[:-3])
            spec = importlib.util.spec_from_file_location(f"odoo.addons.{module}.migrations.{folder.replace('.', '_')}.{name[:-3].replace('-', '_')}", path)
            script = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(script)
            migrate = getattr(script, "migrate", None)
            if migrate is None:
                _logger.info("module %s: no migrate function in %s", module, path)
                continue
            migrate(cr, installed_version)
