from odoo import api, fields, models


class OrleansCustomer(models.Model):
    _name = 'orleans.customer'
    _inherit = 'orleans.object'
    _description = 'Orleans.Webhooks customer'
    _orleans_list_fields = ('provider', 'external_id', 'name', 'email', 'payment_count', 'order_count', 'last_activity_at')

    email = fields.Char(readonly=True, index=True)
    name = fields.Char(readonly=True)
    payment_refs = fields.Char('Payment ids', readonly=True, help='The newest 100.')
    order_refs = fields.Char('Order ids', readonly=True, help='The newest 100.')
    payment_count = fields.Integer('Payments', readonly=True)
    order_count = fields.Integer('Orders', readonly=True)
    last_activity_at = fields.Datetime('Last activity', readonly=True)

    partner_id = fields.Many2one('res.partner', 'Contact', compute='_compute_links',
                                 help='The contact with the same email address, when there is one.')
    payment_ids = fields.Many2many('orleans.payment', string='Payments', compute='_compute_links')
    order_ids = fields.Many2many('orleans.order', string='Orders', compute='_compute_links')

    @api.depends('provider', 'external_id', 'email')
    def _compute_links(self):
        partners = self._orleans_partners_by_email(self.mapped('email'))
        refs = self.mapped('external_id')
        payments = self.env['orleans.payment'].search([('customer_ref', 'in', refs)]) if self else []
        orders = self.env['orleans.order'].search([('customer_ref', 'in', refs)]) if self else []
        for customer in self:
            customer.partner_id = partners.get((customer.email or '').strip().lower(), False)
            key = (customer.provider, customer.external_id)
            customer.payment_ids = [(6, 0, [p.id for p in payments if (p.provider, p.customer_ref) == key])]
            customer.order_ids = [(6, 0, [o.id for o in orders if (o.provider, o.customer_ref) == key])]
