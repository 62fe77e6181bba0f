from odoo import api, fields, models


class OrleansOrder(models.Model):
    _name = 'orleans.order'
    _inherit = 'orleans.object'
    _description = 'Orleans.Webhooks order'
    _orleans_list_fields = ('provider', 'external_id', 'status', 'total', 'currency', 'paid_amount', 'refunded_amount',
                            'customer_ref', 'updated_at')

    status = fields.Char(readonly=True, index=True)
    total = fields.Float(readonly=True)
    currency = fields.Char(readonly=True)
    customer_ref = fields.Char('Customer id', readonly=True, index=True)
    created_at = fields.Datetime('Created', readonly=True)
    paid_amount = fields.Float('Paid', readonly=True)
    refunded_amount = fields.Float('Refunded', readonly=True)
    payment_refs = fields.Char('Payment ids', readonly=True)

    customer_id = fields.Many2one('orleans.customer', 'Customer', compute='_compute_links')
    partner_id = fields.Many2one('res.partner', 'Contact', compute='_compute_links')
    payment_ids = fields.Many2many('orleans.payment', string='Payments', compute='_compute_links')
    sale_order_ref = fields.Reference(selection='_selection_sale_order', string='Sales Order', compute='_compute_links')

    @api.depends('provider', 'external_id', 'customer_ref', 'payment_refs')
    def _compute_links(self):
        customers = self._orleans_by_key('orleans.customer', {(o.provider, o.customer_ref) for o in self})
        sale_orders = self._orleans_sale_orders({o.external_id for o in self})
        payments = self.env['orleans.payment'].search([('order_ref', 'in', self.mapped('external_id'))]) if self else []
        for order in self:
            customer = customers.get((order.provider, order.customer_ref), False)
            order.customer_id = customer
            order.partner_id = customer.partner_id if customer else False
            order.payment_ids = [(6, 0, [p.id for p in payments if p.provider == order.provider and p.order_ref == order.external_id])]
            sale_order = sale_orders.get(order.external_id)
            order.sale_order_ref = f'sale.order,{sale_order.id}' if sale_order else False
