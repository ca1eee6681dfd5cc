"""Dependency resolution: closure, order, missing and cyclic dependencies, auto_install."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo.modules import graph  # noqa: E402


def mods(**deps):
    return {name: {"depends": d, "installable": True, "auto_install": None} for name, d in deps.items()}


class TestGraph(unittest.TestCase):
    def test_order_dependencies_first(self):
        manifests = mods(base=[], mail=["base"], sale=["mail", "product"], product=["base"], x=["sale"])
        order = graph.order(graph.closure(["x"], manifests), manifests)
        self.assertEqual(order[0], "base")
        for name, manifest in manifests.items():
            for dep in manifest["depends"]:
                self.assertLess(order.index(dep), order.index(name))

    def test_missing_dependency(self):
        with self.assertRaisesRegex(graph.DependencyError, "depends on ghost"):
            graph.closure(["a"], mods(a=["ghost"]))

    def test_unknown_module(self):
        with self.assertRaises(graph.DependencyError):
            graph.closure(["nope"], mods(base=[]))

    def test_cycle(self):
        manifests = mods(base=[], a=["b"], b=["c"], c=["a"])
        with self.assertRaisesRegex(graph.DependencyError, "circular"):
            graph.order(graph.closure(["a"], manifests), manifests)

    def test_auto_install(self):
        manifests = mods(base=[], web=["base"], bridge=["web", "mail"], mail=["base"])
        manifests["web"]["auto_install"] = {"base"}
        manifests["bridge"]["auto_install"] = {"web", "mail"}
        self.assertEqual(graph.add_auto_install({"base"}, manifests), {"base", "web"})
        self.assertEqual(graph.add_auto_install({"base", "mail"}, manifests), {"base", "web", "mail", "bridge"})


if __name__ == "__main__":
    unittest.main()
