"""Command-line and odoo.conf options, with Odoo's names and precedence
(command line over the config file over defaults)."""

import argparse
import configparser
import os

from .. import release

DEFAULTS = {
    "db_name": "",
    "db_host": "",
    "db_port": 5432,
    "db_user": "",
    "db_password": "",
    "db_sslmode": "prefer",
    "db_maxconn": 64,
    "db_template": "template0",
    "addons_path": "",
    "init": "",
    "update": "",
    "without_demo": "",
    "with_demo": False,
    "stop_after_init": False,
    "test_enable": False,
    "test_tags": "",
    "http_port": 8069,
    "http_interface": "",
    "http_enable": True,
    "proxy_mode": False,
    "smtp_server": "localhost",
    "smtp_port": 25,
    "smtp_user": "",
    "smtp_password": "",
    "smtp_ssl": False,
    "email_from": "",
    "data_dir": os.path.expanduser("~/.local/share/Odoo"),
    "logfile": "",
    "log_level": "info",
    "log_handler": [],
    "workers": 0,
    "max_cron_threads": 2,
    "dbfilter": "",
    "list_db": True,
    "limit_time_real": 120,
    "limit_time_cpu": 60,
    "limit_memory_soft": 2048 * 1024 * 1024,
    "limit_memory_hard": 2560 * 1024 * 1024,
    "limit_request": 65536,
    "admin_passwd": "admin",
    # After 18.0 Odoo moved XML-RPC/JSON-RPC into the `rpc` module, loaded by default; 18.0
    # itself has none (its default is base,web, as real Odoo 18.0 shows).
    "server_wide_modules": "base,rpc,web" if release.series_tuple >= (18, 1) else "base,web",
    "unaccent": False,
    "dev_mode": "",
    # Not an Odoo option: multiplies the generated rows of the standard modules so a
    # benchmark can make their installation heavier or lighter.
    "standin_data_scale": 1.0,
}

BOOLEANS = {"stop_after_init", "test_enable", "proxy_mode", "smtp_ssl", "with_demo", "http_enable",
            "list_db", "unaccent"}
INTEGERS = {"db_port", "http_port", "smtp_port", "workers", "max_cron_threads", "limit_time_real",
            "limit_time_cpu", "limit_memory_soft", "limit_memory_hard", "limit_request", "db_maxconn"}


def _parser(prog="odoo"):
    p = argparse.ArgumentParser(prog=prog, add_help=True, allow_abbrev=False)
    a = p.add_argument
    a("-c", "--config", dest="config")
    a("-s", "--save", action="store_true", dest="save")
    a("-d", "--database", dest="db_name")
    a("-r", "--db_user", dest="db_user")
    a("-w", "--db_password", dest="db_password")
    a("--db_host", dest="db_host")
    a("--db_port", dest="db_port")
    a("--db_sslmode", dest="db_sslmode")
    a("--db_maxconn", dest="db_maxconn")
    a("--db-template", dest="db_template")
    a("--pg_path", dest="pg_path")
    a("--addons-path", dest="addons_path")
    a("--upgrade-path", dest="upgrade_path")
    a("--load", dest="server_wide_modules")
    a("-i", "--init", dest="init")
    a("-u", "--update", dest="update")
    a("--without-demo", dest="without_demo", nargs="?", const="all")
    a("--with-demo", dest="with_demo", action="store_const", const=True)
    a("--stop-after-init", dest="stop_after_init", action="store_const", const=True)
    a("--test-enable", dest="test_enable", action="store_const", const=True)
    a("--test-tags", dest="test_tags")
    a("--test-file", dest="test_file")
    a("--http-port", "-p", dest="http_port")
    a("--http-interface", dest="http_interface")
    a("--no-http", dest="http_enable", action="store_const", const=False)
    a("--proxy-mode", dest="proxy_mode", action="store_const", const=True)
    a("--smtp", dest="smtp_server")
    a("--smtp-port", dest="smtp_port")
    a("--smtp-user", dest="smtp_user")
    a("--smtp-password", dest="smtp_password")
    a("--smtp-ssl", dest="smtp_ssl", action="store_const", const=True)
    a("--email-from", dest="email_from")
    a("-D", "--data-dir", dest="data_dir")
    a("--logfile", dest="logfile")
    a("--log-level", dest="log_level")
    a("--log-handler", dest="log_handler", action="append")
    a("--workers", dest="workers")
    a("--max-cron-threads", dest="max_cron_threads")
    a("--db-filter", dest="dbfilter")
    a("--no-database-list", dest="list_db", action="store_const", const=False)
    a("--limit-time-real", dest="limit_time_real")
    a("--limit-time-cpu", dest="limit_time_cpu")
    a("--limit-memory-soft", dest="limit_memory_soft")
    a("--limit-memory-hard", dest="limit_memory_hard")
    a("--limit-request", dest="limit_request")
    a("--dev", dest="dev_mode")
    a("--unaccent", dest="unaccent", action="store_const", const=True)
    a("--standin-data-scale", dest="standin_data_scale")
    return p


def _coerce(key, value):
    if value is None:
        return None
    if key in BOOLEANS and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if key in INTEGERS:
        return int(value)
    if key == "standin_data_scale":
        return float(value)
    if key == "log_handler" and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, str) and value.strip().lower() in ("false", "none") and key not in BOOLEANS:
        return ""
    return value


class Config(dict):
    """Parsed options, readable as config['db_name'] like odoo.tools.config."""

    def parse(self, args, prog="odoo"):
        ns = _parser(prog).parse_args(args)
        values = dict(DEFAULTS)
        rcfile = ns.config or os.environ.get("ODOO_RC") or os.environ.get("OPENERP_SERVER")
        if rcfile and os.path.exists(rcfile):
            values.update(read_config_file(rcfile))
        elif ns.config:
            raise SystemExit(f"odoo: config file {ns.config} not found")
        for key, value in vars(ns).items():
            if value is not None and key not in ("config", "save"):
                values[key] = _coerce(key, value)
        if values["test_tags"]:
            values["test_enable"] = True
        values["config"] = rcfile
        self.clear()
        self.update(values)
        return self

    def demo_enabled(self):
        """True when demo data must be loaded (Odoo: --without-demo, or the saas-18.3 default)."""
        if self["with_demo"]:
            return True
        without = str(self["without_demo"] or "").strip().lower()
        if without and without not in ("false", "0", "no", "none"):
            return False
        return release.demo_default()

    def addons_paths(self):
        return [p.strip() for p in str(self["addons_path"] or "").split(",") if p.strip()]

    def modules_list(self, key):
        return [m.strip() for m in str(self[key] or "").split(",") if m.strip()]

    @property
    def filestore_root(self):
        return os.path.join(self["data_dir"], "filestore")


def read_config_file(path):
    parser = configparser.RawConfigParser()
    parser.read(path)
    values = {}
    if parser.has_section("options"):
        # Odoo keeps every key of [options], known or not: addons read their own settings there.
        for key, value in parser.items("options"):
            values[key] = _coerce(key, value)
    return values


config = Config(DEFAULTS)
