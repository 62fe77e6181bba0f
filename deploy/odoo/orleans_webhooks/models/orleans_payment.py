from odoo import api, fields, models


class OrleansPayment(models.Model):
    _name = 'orleans.payment'
    _inherit = 'orleans.object'
    _description = 'Orleans.Webhooks payment'
    _orleans_list_fields = ('provider', 'external_id', 'status', 'amount', 'currency', 'refunded_amount',
                            'customer_ref', 'order_ref', 'updated_at')

    status = fields.Char(readonly=True, index=True)
    amount = fields.Float(readonly=True)
    currency = fields.Char(readonly=True)
    refunded_amount = fields.Float('Refunded', readonly=True)
    disputed_amount = fields.Float('Disputed', readonly=True)
    customer_ref = fields.Char('Customer id', readonly=True, index=True)
    order_ref = fields.Char('Order id', readonly=True, index=True)

    order_id = fields.Many2one('orleans.order', 'Order', compute='_compute_links')
    customer_id = fields.Many2one('orleans.customer', 'Customer', compute='_compute_links')
    partner_id = fields.Many2one('res.partner', 'Contact', compute='_compute_links')
    sale_order_ref = fields.Reference(selection='_selection_sale_order', string='Sales Order', compute='_compute_links')

    @api.depends('provider', 'order_ref', 'customer_ref')
    def _compute_links(self):
        # Looked up when shown, not stored: the order, customer or contact may arrive or be created after the payment.
        orders = self._orleans_by_key('orleans.order', {(p.provider, p.order_ref) for p in self})
        customers = self._orleans_by_key('orleans.customer', {(p.provider, p.customer_ref) for p in self})
        for payment in self:
            order = orders.get((payment.provider, payment.order_ref), False)
            customer = customers.get((payment.provider, payment.customer_ref), False)
            payment.order_id = order
            payment.customer_id = customer
            payment.partner_id = customer.partner_id if customer else False
            payment.sale_order_ref = order.sale_order_ref if order else False
