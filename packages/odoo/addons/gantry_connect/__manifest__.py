# Gantry's one-click Connect. A server-wide module: Gantry mounts it read-only into every
# serving build and loads it with --load; it is never installed in a database.
{
    "name": "Gantry Connect",
    "version": "1.0",
    "summary": "Log in from the Gantry dashboard with a short-lived, single-use token",
    "depends": ["web"],
    "data": [],
    "installable": True,
    "auto_install": False,
    "license": "LGPL-3",
}
