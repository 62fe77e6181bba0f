from lxml.builder import E

from odoo import api, fields, models, release
from odoo.osv import expression

# Odoo 17 calls list views "tree"; Odoo 18 refuses that name and wants "list".
LIST_VIEW = 'list' if release.version_info[0] >= 18 else 'tree'


class OrleansObject(models.AbstractModel):
    """What payments, orders and customers kept from Orleans.Webhooks share: the object's key, the view as received,
    and the id of the newest change applied to it (the next change is applied only when its id is higher)."""
    _name = 'orleans.object'
    _description = 'Object kept from Orleans.Webhooks'
    _rec_name = 'external_id'
    _order = 'updated_at desc, id desc'
    # The columns of the list view (built in Python: its root tag differs between Odoo 17 and 18).
    _orleans_list_fields = ('provider', 'external_id', 'updated_at')

    provider = fields.Char(required=True, readonly=True, index=True)
    external_id = fields.Char('Id', required=True, readonly=True, index=True)
    updated_at = fields.Datetime('Updated', readonly=True)
    change_id = fields.Char('Change', readonly=True, help='The id of the newest change applied (the feed cursor of it).')
    cause_event = fields.Char('Last event', readonly=True, help='<provider>:<external id> of the event that made the change.')
    view_json = fields.Text('View as received', readonly=True)

    _sql_constraints = [
        ('orleans_object_key_unique', 'unique(provider, external_id)', 'An object is kept once per provider and id.'),
    ]

    @api.model
    def _get_default_tree_view(self):  # Odoo 17
        return self._orleans_list_view()

    @api.model
    def _get_default_list_view(self):  # Odoo 18
        return self._orleans_list_view()

    @api.model
    def _orleans_list_view(self):
        return getattr(E, LIST_VIEW)(*(E.field(name=name) for name in self._orleans_list_fields), create='false')

    @api.model
    def _orleans_window_action(self):
        """The menu's action: list and form of this model, with the list view's name of the running Odoo."""
        return {
            'type': 'ir.actions.act_window',
            'name': self._description,
            'res_model': self._name,
            'view_mode': f'{LIST_VIEW},form',
            'views': [(False, LIST_VIEW), (False, 'form')],
        }

    def _orleans_by_key(self, model, refs):
        """Records of ``model`` for (provider, external id) pairs, one search: {(provider, external id): record}."""
        refs = {ref for ref in refs if ref[1]}
        if not refs:
            return {}
        found = self.env[model].search([('external_id', 'in', list({ref[1] for ref in refs}))])
        return {(r.provider, r.external_id): r for r in found if (r.provider, r.external_id) in refs}

    def _orleans_partners_by_email(self, emails):
        emails = {e.strip().lower() for e in emails if e}
        if not emails:
            return {}
        domain = expression.OR([[('email', '=ilike', email)] for email in emails])
        partners = {}
        for partner in self.env['res.partner'].search(domain, order='id'):
            partners.setdefault((partner.email or '').strip().lower(), partner)
        return partners

    @api.model
    def _selection_sale_order(self):
        # Sales is not a dependency: the link exists where sale.order does.
        return [('sale.order', 'Sales Order')] if 'sale.order' in self.env else []

    def _orleans_sale_orders(self, refs):
        """sale.order by reference (its name, else the customer's reference), when Sales is installed."""
        refs = {ref for ref in refs if ref}
        if not refs or 'sale.order' not in self.env:
            return {}
        orders = self.env['sale.order'].search(['|', ('name', 'in', list(refs)), ('client_order_ref', 'in', list(refs))], order='id')
        by_ref = {}
        for order in orders:
            by_ref.setdefault(order.client_order_ref, order)
        for order in orders:
            by_ref[order.name] = order  # a match on the name wins
        return by_ref
