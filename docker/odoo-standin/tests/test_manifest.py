"""Manifest reading: literals only (hostile code never runs), Odoo's version rule."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo.modules import manifest as m  # noqa: E402


class TestLiteralManifest(unittest.TestCase):
    def test_reads_dict_literal(self):
        value = m.parse_manifest_text("{'name': 'X', 'version': '1.0', 'depends': ['base']}")
        self.assertEqual(value["depends"], ["base"])

    def test_hostile_call_rejected_and_not_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "pwned")
            text = "{'name': __import__('os').system('touch %s')}" % marker
            with self.assertRaises(m.ManifestError):
                m.parse_manifest_text(text)
            self.assertFalse(os.path.exists(marker))

    def test_hostile_statement_rejected_and_not_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "pwned")
            text = "open(%r, 'w').write('x')\n{'name': 'x'}" % marker
            with self.assertRaises(m.ManifestError):
                m.parse_manifest_text(text)
            self.assertFalse(os.path.exists(marker))

    def test_comprehension_and_lambda_rejected(self):
        for text in ("{'a': [x for x in range(3)]}", "{'a': (lambda: 1)}", "{'a': 1 if True else 2}"):
            with self.assertRaises(m.ManifestError):
                m.parse_manifest_text(text)

    def test_non_dict_rejected(self):
        with self.assertRaises(m.ManifestError):
            m.parse_manifest_text("['name']")


class TestVersion(unittest.TestCase):
    def test_accepted_forms(self):
        self.assertEqual(m.adapt_version("1.0", "17.0"), "17.0.1.0")
        self.assertEqual(m.adapt_version("1.0.3", "17.0"), "17.0.1.0.3")
        self.assertEqual(m.adapt_version("17.0.1.0", "17.0"), "17.0.1.0")
        self.assertEqual(m.adapt_version("17.0.1.0.3", "17.0"), "17.0.1.0.3")

    def test_other_series_rejected(self):
        with self.assertRaises(ValueError):
            m.adapt_version("17.0.1.0.0", "18.0")
        with self.assertRaises(ValueError):
            m.adapt_version("16.0.1.0.0", "17.0")

    def test_garbage_rejected(self):
        for version in ("1", "1.0.0.0", "v1.0", "1.a", ""):
            with self.assertRaises(ValueError, msg=version):
                m.adapt_version(version, "17.0")

    def test_parse_version_orders(self):
        self.assertLess(m.parse_version("17.0.1.0.0"), m.parse_version("17.0.1.1.0"))
        self.assertLess(m.parse_version("16.0.1.0.0"), m.parse_version("17.0.1.0.0"))


class TestScan(unittest.TestCase):
    def _module(self, root, name, text="{'name': 'M', 'version': '1.0'}"):
        os.makedirs(os.path.join(root, name))
        with open(os.path.join(root, name, "__manifest__.py"), "w") as handle:
            handle.write(text)

    def test_load_manifest_defaults_and_invalid_version(self):
        with tempfile.TemporaryDirectory() as tmp:
            self._module(tmp, "good")
            self._module(tmp, "bad", "{'version': '16.0.1.0.0'}")
            good = m.load_manifest("good", os.path.join(tmp, "good"), "17.0")
            self.assertEqual(good["version"], "17.0.1.0")
            self.assertEqual(good["depends"], [])
            with self.assertRaises(m.ManifestError):
                m.load_manifest("bad", os.path.join(tmp, "bad"), "17.0")

    def test_addons_dirs_skip_hidden_folders(self):
        with tempfile.TemporaryDirectory() as tmp:
            self._module(tmp, "top")
            self._module(os.path.join(tmp, "addons", "extra"), "sub")
            self._module(os.path.join(tmp, ".hidden"), "ghost")
            found = m.find_addons_dirs(tmp)
            self.assertEqual(sorted(found), sorted([tmp, os.path.join(tmp, "addons", "extra")]))
            self.assertEqual(sorted(m.scan_modules(found)), ["sub", "top"])


if __name__ == "__main__":
    unittest.main()
