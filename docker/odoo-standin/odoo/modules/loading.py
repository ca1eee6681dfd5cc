"""Installing and updating modules into a database, in dependency order, as Odoo's
odoo.modules.loading does; runs at_install tests after each module and post_install
tests at the end when --test-enable is on."""

import importlib
import logging
import os
import sys
import time

import odoo.addons

from .. import release
from ..api import Environment
from ..sql_db import connect, create_database, db_exists, table_exists
from ..tools.config import config
from . import data, graph, migration, schema
from .db import counter, cursor
from .manifest import ManifestError, load_manifest, parse_version, scan_modules

_logger = logging.getLogger("odoo.modules.loading")
_registry_logger = logging.getLogger("odoo.modules.registry")
STANDARD_ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")
BASE_DATA_SQL = os.path.join(STANDARD_ADDONS, "base", "data", "base_data.sql")


class LoadError(Exception):
    """Anything that makes Odoo fail to initialize the database."""


class LoadContext:
    def __init__(self, cr, dbname, module, module_path, mode):
        self.cr = cr
        self.dbname = dbname
        self.module = module
        self.module_path = module_path
        self.mode = mode
        self.noupdate = False
        self.scale = config["standin_data_scale"]
        self._fields = {}

    def fields(self, model):
        if model not in self._fields:
            self._fields[model] = schema.model_fields(self.cr, model)
        return self._fields[model]


def addons_paths():
    paths = [STANDARD_ADDONS]
    for path in config.addons_paths():
        if not os.path.isdir(path):
            raise SystemExit(f"option addons_path: no such directory: {path!r}")
        path = os.path.abspath(path)
        if path not in paths:
            paths.append(path)
    for path in paths:
        if path not in odoo.addons.__path__:
            odoo.addons.__path__.append(path)
    return paths


def read_manifests(paths, strict):
    manifests, errors = {}, []
    for name, path in scan_modules(paths).items():
        try:
            manifests[name] = load_manifest(name, path)
        except ManifestError as exc:
            errors.append(str(exc))
    if errors and strict:
        raise LoadError("; ".join(errors))
    for message in errors:
        _logger.warning(message)
    return manifests


def db_series(version):
    parts = (version or "").split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def import_module(name):
    try:
        return importlib.import_module(f"odoo.addons.{name}")
    except Exception as exc:
        raise LoadError(f"Couldn't load module {name}: {exc.__class__.__name__}: {exc}") from exc


def call_hook(module, manifest, hook, cr):
    hook_name = manifest.get(hook)
    if not hook_name:
        return
    function = getattr(module, hook_name, None)
    if function is None:
        raise LoadError(f"module {manifest['technical_name']}: {hook} {hook_name} not found")
    if release.series_tuple >= (17, 0):
        function(Environment(cr))
    else:
        function(cr, None)


def dependents(names, installed, manifests):
    """Installed modules that depend (transitively) on any of `names`: -u cascades to them."""
    result = set(names)
    changed = True
    while changed:
        changed = False
        for name in installed:
            if name not in result and name in manifests and set(manifests[name]["depends"]) & result:
                result.add(name)
                changed = True
    return result


def ensure_database(dbname):
    if not db_exists(dbname):
        _logger.info("creating database %s", dbname)
        create_database(dbname)


def load_modules(dbname, runner=None):
    """Loads the registry of `dbname`: initializes it when new, installs -i modules,
    updates -u modules. Returns the number of failed tests (0 when none ran)."""
    ensure_database(dbname)
    conn = connect(dbname)
    cr = cursor(conn)
    try:
        return _load(conn, cr, dbname, runner)
    finally:
        conn.close()


def _load(conn, cr, dbname, runner):
    t0, q0 = time.time(), counter["queries"]
    initialized = table_exists(cr, "ir_module_module")
    if not initialized:
        _logger.info("init db")
        with open(BASE_DATA_SQL, encoding="utf-8") as handle:
            cr.execute(handle.read())
        conn.commit()
    cr.execute("SELECT name, state, latest_version, demo FROM ir_module_module WHERE state IN ('installed', 'to upgrade', 'to remove')")
    installed = {name: (state, version, demo) for name, state, version, demo in cr.fetchall()}
    init_list = config.modules_list("init")
    update_list = config.modules_list("update")
    upgrade_all = "all" in update_list or "base" in update_list

    base_version = installed.get("base", (None, None, None))[1]
    series = db_series(base_version)
    if series and series != release.major_version:
        if release.series_key(series) > release.series_tuple:
            raise LoadError(f"Database {dbname!r} was created by Odoo {series}, a newer series than this server ({release.major_version}); it can't be loaded")
        if "all" not in update_list:
            raise LoadError(f"Database {dbname!r} is at Odoo {series}; this server runs {release.major_version}: upgrade it with -u all")

    update_module = bool(init_list or update_list or not initialized)
    paths = addons_paths()
    manifests = read_manifests(paths, strict=update_module)
    demo = config.demo_enabled() and (not installed or bool(installed.get("base", (0, 0, True))[2]))

    if update_module:
        _logger.info("updating modules list")
        for name, manifest in manifests.items():
            # As Odoo's update_list: a module it cannot install is listed as 'uninstallable', and
            # becomes 'uninstalled' once its manifest says it is installable again.
            state = "uninstalled" if manifest.get("installable", True) else "uninstallable"
            cr.execute(
                "INSERT INTO ir_module_module (name, state, shortdesc, author, license, application, auto_install) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET shortdesc = EXCLUDED.shortdesc, "
                "state = CASE WHEN ir_module_module.state = 'uninstallable' THEN EXCLUDED.state ELSE ir_module_module.state END",
                (name, state, manifest["name"], manifest.get("author"), manifest.get("license"),
                 bool(manifest.get("application")), bool(manifest.get("auto_install"))),
            )
    wanted = [m for m in init_list if m != "all"] + ([] if "base" in installed else ["base"])
    try:
        to_install = graph.closure(wanted, manifests) - set(installed)
        if update_module:
            to_install = graph.add_auto_install(to_install, manifests, installed) - set(installed)
        missing = sorted(m for m in installed if m not in manifests)
        if missing:
            _logger.warning("Some modules are not loaded, some dependencies or manifest may be missing: %s", missing)
        present = {m for m in installed if m in manifests}
        if upgrade_all:
            to_update = set(present)
        else:
            unknown = [m for m in update_list if m not in present]
            for name in unknown:
                _logger.warning("module %s: not installed, can't update it", name)
            to_update = dependents([m for m in update_list if m in present], present, manifests)
        all_modules = present | to_install
        graph.closure(all_modules, manifests)
        ordered = graph.order(all_modules, manifests)
    except graph.DependencyError as exc:
        raise LoadError(str(exc)) from exc

    report = runner.new_report(dbname) if runner else None
    loaded_now = []
    phases = [["base"], [m for m in ordered if m != "base"]]
    count = 0
    for phase in phases:
        count += len(phase)
        tp, qp = time.time(), counter["queries"]
        _logger.info("loading %d modules...", count)
        for name in phase:
            manifest = manifests[name]
            python_module = import_module(name)
            if name in to_install:
                _install(conn, cr, dbname, name, manifest, python_module, demo)
                loaded_now.append(name)
            elif name in to_update:
                _update(conn, cr, dbname, name, manifest, installed[name][1])
                loaded_now.append(name)
            else:
                continue
            if runner and config["test_enable"]:
                runner.run_module_tests(report, name, "at_install", conn)
        _logger.info("%d modules loaded in %.2fs, %d queries (+%d extra)", len(phase), time.time() - tp, counter["queries"] - qp, 0)

    for name in ordered:
        if name in to_update:
            migration.run_stage(cr, name, manifests[name]["module_path"], "end", installed[name][1], manifests[name]["version"], release.major_version)
    if loaded_now:
        warn_models_without_access(cr, manifests)
    conn.commit()
    _logger.info("%d modules loaded in %.2fs, %d queries (+%d extra)", len(ordered), time.time() - t0, counter["queries"] - q0, 0)
    if report is not None and not report.wasSuccessful():
        _logger.error("At least one test failed when loading the modules.")
    else:
        _logger.info("Modules loaded.")
    if runner and config["test_enable"]:
        runner.run_post_install(report, loaded_now, conn)
        report.log_stats()
        return len(report.failures) + len(report.errors)
    return 0


def models_without_access(cr):
    """(model, defining module) of each model no ir.model.access row covers."""
    cr.execute(
        "SELECT model, modules FROM ir_model m WHERE NOT EXISTS "
        "(SELECT 1 FROM ir_model_access a WHERE a.model_id = m.id) ORDER BY model"
    )
    return [(model, (modules or "").split(",")[0].strip()) for model, modules in cr.fetchall()]


def warn_models_without_access(cr, manifests):
    """Odoo up to 17.0: one warning per model no access rule covers, after every module is
    loaded (a build turns yellow). The stand-in's own standard modules define no access
    rules, so only models first defined by a module outside them are checked."""
    if release.series_tuple >= (18, 0):
        return
    for model, definer in models_without_access(cr):
        path = manifests.get(definer, {}).get("module_path", "")
        if not definer or os.path.dirname(path) == STANDARD_ADDONS:
            continue
        table = model.replace(".", "_")
        _logger.warning(
            "The model %s has no access rules, consider adding one. E.g. access_%s,access_%s,model_%s,base.group_user,1,0,0,0",
            model, table, table, table,
        )


def warn_module_models_without_access(cr, name, manifest):
    """Odoo 18.0: one warning per module, right after its data, listing its models."""
    if release.series_tuple < (18, 0) or os.path.dirname(manifest["module_path"]) == STANDARD_ADDONS:
        return
    missing = [model for model, definer in models_without_access(cr) if definer == name]
    if not missing:
        return
    lines = [f"{name}.access_{m.replace('.', '_')},access_{m.replace('.', '_')},{name}.model_{m.replace('.', '_')},base.group_user,1,0,0,0" for m in missing]
    _logger.warning(
        "The models %s have no access rules in module %s, consider adding some, like:\n%s",
        missing, name, "\n".join(["id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink", *lines]),
    )


def _load_files(ctx, files):
    for relpath in files:
        try:
            data.load_file(ctx, relpath)
        except Exception as exc:
            raise LoadError(f"module {ctx.module}: error while loading {relpath}: {exc}") from exc


def _install(conn, cr, dbname, name, manifest, python_module, demo):
    call_hook(python_module, manifest, "pre_init_hook", cr)
    schema.create_tables(cr, name, _registry_logger)
    ctx = LoadContext(cr, dbname, name, manifest["module_path"], "init")
    _load_files(ctx, manifest["data"])
    if demo and manifest["demo"]:
        _logger.info("Module %s: loading demo", name)
        _load_files(ctx, manifest["demo"])
    warn_module_models_without_access(cr, name, manifest)
    call_hook(python_module, manifest, "post_init_hook", cr)
    cr.execute(
        "UPDATE ir_module_module SET state = 'installed', latest_version = %s, demo = %s, "
        "write_date = now() at time zone 'UTC' WHERE name = %s",
        (manifest["version"], bool(demo and manifest["demo"]), name),
    )
    conn.commit()


def _update(conn, cr, dbname, name, manifest, installed_version):
    target = manifest["version"]
    if installed_version and parse_version(installed_version) > parse_version(target) and db_series(installed_version) == release.major_version:
        _logger.warning("module %s: installed version %s is newer than the code's %s", name, installed_version, target)
    path = manifest["module_path"]
    migration.run_stage(cr, name, path, "pre", installed_version, target, release.major_version)
    schema.create_tables(cr, name, _registry_logger)
    ctx = LoadContext(cr, dbname, name, path, "update")
    _load_files(ctx, manifest["data"])
    warn_module_models_without_access(cr, name, manifest)
    migration.run_stage(cr, name, path, "post", installed_version, target, release.major_version)
    cr.execute(
        "UPDATE ir_module_module SET state = 'installed', latest_version = %s, write_date = now() at time zone 'UTC' WHERE name = %s",
        (target, name),
    )
    conn.commit()


def installed_modules(cr):
    cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name")
    return [r[0] for r in cr.fetchall()]


def module_path(name):
    for path in addons_paths():
        candidate = os.path.join(path, name)
        if os.path.isdir(candidate):
            return candidate
    return None


sys.modules.setdefault("odoo.modules.loading", sys.modules[__name__])
