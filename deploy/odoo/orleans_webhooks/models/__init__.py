from . import orleans_object
from . import orleans_payment
from . import orleans_order
from . import orleans_customer
from . import orleans_webhook_feed
