# Odoo imports an addon as odoo.addons.<name>. Anything else importing this package, such as
# `python3 -m unittest discover -s deploy/odoo` (which imports every package it walks), gets no Odoo import: the tests
# load push_core.py, the plain-Python part, by its path.
if __name__.startswith('odoo.addons.'):
    from . import controllers, models


def load_tests(loader, standard_tests, pattern):
    """unittest discovery stops here: the addon's tests are in deploy/odoo/tests, and its subpackages import Odoo."""
    return standard_tests
