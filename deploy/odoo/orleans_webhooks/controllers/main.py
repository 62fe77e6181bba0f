import logging
import time

from psycopg2 import OperationalError

from odoo import http
from odoo.http import request

from .. import push_core

_logger = logging.getLogger(__name__)


class OrleansWebhookController(http.Controller):
    """POST /orleans/webhook: the push of an Orleans.Webhooks destination (CONTRACT.md, section 6).

    Odoo runs the route in one transaction and commits it before the response leaves (odoo.service.model.retrying),
    so a 200 means committed; an exception rolls it back. A 401 and a 400 write nothing; a 500 leaves nothing half
    applied, and the product sends the same changes again.
    """

    @http.route('/orleans/webhook', type='http', auth='public', methods=['POST'], csrf=False, save_session=False)
    def receive(self, **kwargs):
        env = request.env(su=True)
        params = env['ir.config_parameter']
        raw = request.httprequest.get_data()
        headers = request.httprequest.headers
        verification = push_core.verify(
            headers, raw, push_core.split_secrets(params.get_param('orleans_webhooks.secrets')),
            now=time.time(), tolerance=int(params.get_param('orleans_webhooks.tolerance_seconds') or push_core.DEFAULT_TOLERANCE_SECONDS))
        if not verification.ok:
            _logger.warning('Orleans.Webhooks push refused: %s', verification.reason)
            return request.make_json_response({'error': 'invalid signature'}, status=401)
        try:
            message = push_core.parse_push(raw)
        except push_core.BadPayload as error:
            _logger.warning('Orleans.Webhooks push not understood: %s', error)
            return request.make_json_response({'error': str(error)}, status=400)
        try:
            with env.cr.savepoint():
                decisions = env['orleans.webhook.feed']._apply_changes(message.changes)
        except OperationalError:
            raise  # a serialization failure or deadlock: Odoo rolls back and runs the request again
        except Exception as error:
            # The savepoint is rolled back: nothing of this batch stays, and the product sends it again (or, when one
            # change keeps failing, isolates and parks it).
            _logger.exception('Orleans.Webhooks push of changes %s-%s could not be applied',
                              message.changes[0].id, message.changes[-1].id)
            return request.make_json_response({'error': f'applying failed: {type(error).__name__}'}, status=500)
        return request.make_json_response(push_core.summary(decisions), status=200)
