{
    'name': 'Orleans.Webhooks',
    'summary': 'Receives the payments, orders and customers that Orleans.Webhooks pushes (signed, single or batched)',
    'description': """
Keeps a copy of the payment, order and customer views of an Orleans.Webhooks service: a controller at
/orleans/webhook verifies each push (hmac or standard-webhooks, with any of several secrets for rotation), applies
each change once and in change order per object, in one transaction per request, and answers 2xx only when committed.
"Fetch missed changes" reads the service's GET /api/changes from a stored cursor through the same code path.
Payments, orders and customers link to res.partner by email and, when Sales is installed, to sale.order by reference.
""",
    'version': '1.0.0',
    'category': 'Sales',
    'license': 'LGPL-3',
    # Only base: Sales and Contacts are linked at run time where they are installed (see models/orleans_object.py).
    'depends': ['base'],
    'data': [
        'security/ir.model.access.csv',
        'data/config_parameters.xml',
        'views/orleans_payment_views.xml',
        'views/orleans_order_views.xml',
        'views/orleans_customer_views.xml',
        'views/menus.xml',
    ],
    'installable': True,
    'application': True,
}
