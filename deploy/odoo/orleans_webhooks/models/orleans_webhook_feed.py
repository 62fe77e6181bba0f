from odoo import _, api, models
from odoo.exceptions import UserError

from .. import push_core

MODELS = {'payment': 'orleans.payment', 'order': 'orleans.order', 'customer': 'orleans.customer'}


class OrleansWebhookFeed(models.AbstractModel):
    """Applying changes, whether pushed to /orleans/webhook or read from GET /api/changes: one code path."""
    _name = 'orleans.webhook.feed'
    _description = 'Orleans.Webhooks changes'

    @api.model
    def _apply_changes(self, changes):
        """Applies ``changes`` (push_core.Change) in the current transaction, as push_core.plan decides: each change
        once, in change order per object, never an older view over a newer one. Returns the decisions.

        Two requests applying changes of one object at once both write its row; under Odoo's REPEATABLE READ the
        second one fails with a serialization error and Odoo runs it again, when it sees the first one's change id.
        """
        records = {}
        for kind, model in MODELS.items():
            wanted = {(c.provider, c.object_id) for c in changes if c.kind == kind}
            for (provider, object_id), record in self.env[model]._orleans_by_key(model, wanted).items():
                records[(kind, provider, object_id)] = record
        newest = {key: int(record.change_id) for key, record in records.items() if (record.change_id or '').isdigit()}
        decisions = push_core.plan(changes, newest)
        for decision in decisions:
            if decision.action != push_core.APPLY:
                continue
            change = decision.change
            values = push_core.record_values(change)
            record = records.get(change.key)
            if record:
                record.write(values)
            else:
                records[change.key] = self.env[MODELS[change.kind]].create(values)
        return decisions

    @api.model
    def fetch_missed_changes(self, from_start=False):
        """Reads GET /api/changes of the product from the stored cursor (``from_start``: from 0, to rebuild what is
        missing) and applies every page the way a push is applied; stores the cursor it got to. One transaction: a
        failure leaves the records and the cursor as they were."""
        params = self.env['ir.config_parameter'].sudo()
        url = params.get_param('orleans_webhooks.api_url')
        if not url:
            raise UserError(_('Set the system parameter orleans_webhooks.api_url to the Orleans.Webhooks web API '
                              '(for example https://webhooks.example.com) first.'))
        after = 0 if from_start else int(params.get_param('orleans_webhooks.feed_cursor') or 0)
        try:
            result = push_core.fetch_changes(
                url, params.get_param('orleans_webhooks.api_key') or None, after, self.sudo()._apply_changes,
                limit=int(params.get_param('orleans_webhooks.feed_limit') or 500),
                max_pages=int(params.get_param('orleans_webhooks.feed_max_pages') or 20))
        except push_core.FeedError as error:
            raise UserError(_('Fetching changes from Orleans.Webhooks failed: %s', error)) from None
        params.set_param('orleans_webhooks.feed_cursor', str(result.cursor))
        return result

    @api.model
    def action_fetch_missed_changes(self, from_start=False):
        result = self.fetch_missed_changes(from_start)
        counts = push_core.summary(result.decisions)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'title': _('Fetched from Orleans.Webhooks'),
                'message': _('%(applied)s applied, %(repeats)s already applied, %(older)s older than what is kept; '
                             'cursor %(cursor)s.', cursor=result.cursor, **counts),
                'type': 'success',
                'sticky': False,
            },
        }
