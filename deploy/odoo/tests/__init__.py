"""Tests of the addon's pure module (push_core.py), run with `python3 -m unittest discover -s deploy/odoo`."""
