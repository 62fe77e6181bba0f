"""Receiving Orleans.Webhooks' push and change feed: verifying, parsing and ordering.

Plain Python (standard library only, no Odoo import) so that it is unit-tested without Odoo and shared by the addon's
controller, its "Fetch missed changes" action and the test receiver. The contract is sections 5 and 6 of the product's
CONTRACT.md:

- a push is one change ``{"id","type","data","cause"}`` or a batch ``{"changes":[...]}`` in change order;
- ``hmac``: ``X-Webhook-Signature`` is the lowercase hex HMAC-SHA256 of the raw body;
- ``standard-webhooks``: ``webhook-signature: v1,<base64>`` over ``"<webhook-id>.<webhook-timestamp>.<body>"`` with the
  base64 key after ``whsec_``, the timestamp within a tolerance;
- a change id is the change's number in the product's log: it rises in commit order, so per object a higher id is a
  newer view, and a repeat carries the same id.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

KINDS = ('payment', 'order', 'customer')

HMAC = 'hmac'
STANDARD_WEBHOOKS = 'standard-webhooks'

DEFAULT_TOLERANCE_SECONDS = 300

# What plan() decides for each change.
APPLY = 'apply'
REPEAT = 'repeat'          # the id applied last for its object: a repeat of a delivered change
OLDER = 'older'            # older than the newest applied for its object: applying it would go back in time
UNSUPPORTED = 'unsupported'  # a kind this receiver does not keep


# ---------------------------------------------------------------------------------------------------------------------
# Verifying
# ---------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """The outcome of verify(): ``ok`` and, when not, why (never the expected value or the secret)."""
    ok: bool
    format: str | None
    reason: str


def split_secrets(text):
    """The secrets of a system parameter: one per line or separated by commas (several for rotation)."""
    if not text:
        return []
    return [s.strip() for s in re.split(r'[,\n\r]+', text) if s.strip()]


def _lower_headers(headers):
    # werkzeug's Headers and http.server's message are case-insensitive already; a plain dict is not.
    return {str(name).lower(): str(value) for name, value in headers.items()}


def standard_webhooks_key(secret):
    """The HMAC key of a ``whsec_`` secret (its base64 part decoded), or None when the secret is not one."""
    if not secret.startswith('whsec_'):
        return None
    try:
        return base64.b64decode(secret[len('whsec_'):], validate=True) or None
    except (binascii.Error, ValueError):
        return None


def verify(headers, body, secrets, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """Checks a push against any of ``secrets``: standard-webhooks when its headers are present, else hmac.

    ``body`` is the raw request body (bytes) exactly as received; ``now`` the current Unix time in seconds.
    """
    if not secrets:
        return Verification(False, None, 'no secret is configured')
    lowered = _lower_headers(headers)
    signature = lowered.get('webhook-signature') or lowered.get('svix-signature')
    if signature is not None:
        return _verify_standard_webhooks(lowered, signature, body, secrets, time.time() if now is None else now, tolerance)
    received = lowered.get('x-webhook-signature')
    if received is None:
        return Verification(False, None, 'signature header missing')
    received = received.strip().lower().encode('utf-8', 'replace')
    # Every secret is tried (no early exit), so the time taken does not tell which one matched.
    matched = False
    for secret in secrets:
        expected = hmac.new(secret.encode('utf-8'), body, hashlib.sha256).hexdigest().encode('ascii')
        matched |= hmac.compare_digest(expected, received)
    return Verification(matched, HMAC, 'valid' if matched else 'signature mismatch')


def _verify_standard_webhooks(lowered, signature, body, secrets, now, tolerance):
    message_id = lowered.get('webhook-id') or lowered.get('svix-id')
    timestamp = lowered.get('webhook-timestamp') or lowered.get('svix-timestamp')
    if not message_id or not timestamp:
        return Verification(False, STANDARD_WEBHOOKS, 'webhook-id or webhook-timestamp header missing')
    if not timestamp.isdigit():
        return Verification(False, STANDARD_WEBHOOKS, 'webhook-timestamp is not a number of seconds')
    if abs(now - int(timestamp)) > tolerance:
        return Verification(False, STANDARD_WEBHOOKS, 'webhook-timestamp outside the tolerance')
    keys = [k for k in (standard_webhooks_key(s) for s in secrets) if k]
    if not keys:
        return Verification(False, STANDARD_WEBHOOKS, 'no whsec_ secret is configured')
    signed = message_id.encode('utf-8') + b'.' + timestamp.encode('ascii') + b'.' + body
    candidates = [part.encode('utf-8', 'replace') for part in signature.split()]
    matched = False
    for key in keys:
        expected = b'v1,' + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
        for candidate in candidates:
            matched |= hmac.compare_digest(expected, candidate)
    return Verification(matched, STANDARD_WEBHOOKS, 'valid' if matched else 'signature mismatch')


# ---------------------------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------------------------

class BadPayload(ValueError):
    """A body that is validly signed but is not a push or feed page of the contract (answered 400)."""


@dataclass(frozen=True)
class Change:
    """One change of a payment, order or customer view, from a push or from the feed."""
    id: int
    kind: str
    provider: str
    object_id: str
    view: dict
    event: str | None = None
    event_type: str | None = None

    @property
    def key(self):
        """The object the change is about; its changes must be applied in id order."""
        return (self.kind, self.provider, self.object_id)


@dataclass(frozen=True)
class Push:
    changes: list
    batch: bool


def _change_id(value, where):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadPayload(f'{where}: the change id must be a string of digits')
    text = str(value)
    if not text.isdigit() or int(text) <= 0:
        raise BadPayload(f'{where}: the change id must be a positive integer, not {text[:40]!r}')
    return int(text)


def _view(data, where):
    if not isinstance(data, dict):
        raise BadPayload(f'{where}: data must be an object')
    provider, object_id = data.get('provider'), data.get('id')
    if not isinstance(provider, str) or not provider or not isinstance(object_id, str) or not object_id:
        raise BadPayload(f'{where}: data must name its provider and id')
    return provider, object_id


def _push_change(item, where):
    if not isinstance(item, dict):
        raise BadPayload(f'{where}: a change must be an object')
    change_id = _change_id(item.get('id'), where)
    kind_type = item.get('type')
    if not isinstance(kind_type, str) or not kind_type.endswith('.updated'):
        raise BadPayload(f'{where}: type must be "<kind>.updated"')
    provider, object_id = _view(item.get('data'), where)
    cause = item.get('cause') if isinstance(item.get('cause'), dict) else {}
    return Change(change_id, kind_type[:-len('.updated')], provider, object_id, item['data'],
                  cause.get('event'), cause.get('type'))


def _json(body):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadPayload(f'the body is not JSON: {error}') from None


def parse_push(body):
    """A push body (bytes): one change, or a batch ``{"changes":[...]}``; changes in the order sent."""
    document = _json(body)
    if not isinstance(document, dict):
        raise BadPayload('the body must be a JSON object')
    if 'changes' in document:
        items = document['changes']
        if not isinstance(items, list) or not items:
            raise BadPayload('changes must be a non-empty array')
        return Push([_push_change(item, f'changes[{i}]') for i, item in enumerate(items)], True)
    return Push([_push_change(document, 'change')], False)


def expected_message_id(push, fmt):
    """The message id header the contract gives this push: the change id; for a batch, its first and last ids."""
    first, last = push.changes[0].id, push.changes[-1].id
    if not push.batch:
        return str(first)
    return f'batch_{first}_{last}' if fmt == STANDARD_WEBHOOKS else f'{first}-{last}'


def message_id(headers, fmt):
    """The message id header as received (``webhook-id`` or ``X-Webhook-Id``)."""
    lowered = _lower_headers(headers)
    if fmt == STANDARD_WEBHOOKS:
        return lowered.get('webhook-id') or lowered.get('svix-id')
    return lowered.get('x-webhook-id')


def parse_feed(body):
    """A page of ``GET /api/changes``: its changes in commit order and the cursor to read after."""
    document = _json(body)
    if not isinstance(document, dict) or not isinstance(document.get('changes'), list):
        raise BadPayload('a feed page must be {"changes":[...],"next":...}')
    changes = []
    for i, item in enumerate(document['changes']):
        where = f'changes[{i}]'
        if not isinstance(item, dict):
            raise BadPayload(f'{where}: a change must be an object')
        change_id = _change_id(item.get('cursor'), where)
        provider, object_id = _view(item.get('view'), where)
        changes.append(Change(change_id, str(item.get('kind')), provider, object_id, item['view'], item.get('event')))
    next_cursor = document.get('next')
    after = _change_id(next_cursor, 'next') if next_cursor not in (None, '0', 0) else 0
    return changes, after


# ---------------------------------------------------------------------------------------------------------------------
# Ordering
# ---------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    change: Change
    action: str


def plan(changes, newest_applied):
    """What to do with each change, in change id order.

    ``newest_applied`` maps an object's key to the id of the newest change applied to it (what the receiver stored).
    A change is applied when it is newer than that; the same id is a repeat; a lower id is older (applying it would put
    an older view over a newer one). Several changes of one object in one batch are applied in id order.
    """
    newest = dict(newest_applied)
    decisions = []
    for change in sorted(changes, key=lambda c: c.id):
        if change.kind not in KINDS:
            decisions.append(Decision(change, UNSUPPORTED))
            continue
        last = newest.get(change.key, 0)
        if change.id == last:
            decisions.append(Decision(change, REPEAT))
        elif change.id < last:
            decisions.append(Decision(change, OLDER))
        else:
            newest[change.key] = change.id
            decisions.append(Decision(change, APPLY))
    return decisions


def summary(decisions):
    counts = {APPLY: 0, REPEAT: 0, OLDER: 0, UNSUPPORTED: 0}
    for decision in decisions:
        counts[decision.action] += 1
    return {'applied': counts[APPLY], 'repeats': counts[REPEAT], 'older': counts[OLDER], 'unsupported': counts[UNSUPPORTED]}


# ---------------------------------------------------------------------------------------------------------------------
# Field values (what the addon stores of a view)
# ---------------------------------------------------------------------------------------------------------------------

_ISO = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$')


def utc_datetime(text):
    """An ISO 8601 time of the product (``2026-12-02T12:00:00.1234567+00:00``) as a naive UTC datetime, as Odoo stores
    datetimes; None when absent or unreadable. .NET writes seven fractional digits, which datetime.fromisoformat of
    older Pythons refuses."""
    if not isinstance(text, str):
        return None
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or '0')[:6].ljust(6, '0'))
    value = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
    if zone and zone != 'Z':
        sign = 1 if zone[0] == '+' else -1
        digits = zone[1:].replace(':', '')
        value -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value.replace(tzinfo=None)


def _amount(value):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value):
    return value if isinstance(value, str) else None


def _ids(value):
    return ', '.join(str(v) for v in value) if isinstance(value, list) else None


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def record_values(change):
    """The values the addon's record of ``change.kind`` gets from the change (its model's field names)."""
    view = change.view
    values = {
        'provider': change.provider,
        'external_id': change.object_id,
        'status': _text(view.get('status')),
        'updated_at': utc_datetime(view.get('updatedAt')),
        'change_id': str(change.id),
        'cause_event': change.event,
        'view_json': json.dumps(view, ensure_ascii=False, sort_keys=True),
    }
    if change.kind == 'payment':
        values.update({
            'amount': _amount(view.get('amount')),
            'currency': _text(view.get('currency')),
            'refunded_amount': _amount(view.get('refundedAmount')),
            'disputed_amount': _amount(view.get('disputedAmount')),
            'customer_ref': _text(view.get('customerId')),
            'order_ref': _text(view.get('orderId')),
        })
    elif change.kind == 'order':
        values.update({
            'total': _amount(view.get('total')),
            'currency': _text(view.get('currency')),
            'customer_ref': _text(view.get('customerId')),
            'created_at': utc_datetime(view.get('createdAt')),
            'paid_amount': _amount(view.get('paidAmount')),
            'refunded_amount': _amount(view.get('refundedAmount')),
            'payment_refs': _ids(view.get('paymentIds')),
        })
    elif change.kind == 'customer':
        values.pop('status')
        values.update({
            'email': _text(view.get('email')),
            'name': _text(view.get('name')),
            'payment_refs': _ids(view.get('paymentIds')),
            'order_refs': _ids(view.get('orderIds')),
            'payment_count': _count(view.get('paymentCount')),
            'order_count': _count(view.get('orderCount')),
            'last_activity_at': utc_datetime(view.get('lastActivityAt')),
        })
    return values


# ---------------------------------------------------------------------------------------------------------------------
# Reading the feed
# ---------------------------------------------------------------------------------------------------------------------

class FeedError(Exception):
    """The product's feed could not be read; the message says why (never the API key)."""

    def __init__(self, message, newest=None):
        super().__init__(message)
        self.newest = newest


def feed_url(base_url, after, limit):
    return f"{base_url.rstrip('/')}/api/changes?{urllib.parse.urlencode({'after': after, 'limit': limit})}"


def fetch_page(base_url, api_key, after, limit, timeout=30, opener=urllib.request.urlopen):
    """One page of ``GET /api/changes`` after ``after``: (changes, next cursor)."""
    request = urllib.request.Request(feed_url(base_url, after, limit), headers={'Accept': 'application/json'})
    if api_key:
        request.add_header('X-Api-Key', api_key)
    try:
        with opener(request, timeout=timeout) as response:
            return parse_feed(response.read())
    except urllib.error.HTTPError as error:
        problem = _problem(error)
        detail = problem.get('detail') or problem.get('title') or error.reason
        if error.code == 410:
            # Retention deleted changes this reader had not seen: the views must be reconciled, not the feed followed.
            newest = problem.get('newest')
            raise FeedError(f'changes after {after} were deleted by the product\'s retention: {detail}',
                            newest=int(newest) if isinstance(newest, str) and newest.isdigit() else None) from None
        raise FeedError(f'GET /api/changes answered {error.code}: {detail}') from None
    except (urllib.error.URLError, OSError) as error:
        raise FeedError(f'GET /api/changes failed: {getattr(error, "reason", error)}') from None


def _problem(error):
    try:
        document = json.loads(error.read() or b'{}')
        return document if isinstance(document, dict) else {}
    except ValueError:
        return {}


@dataclass
class FetchResult:
    pages: int = 0
    cursor: int = 0
    decisions: list = field(default_factory=list)


def fetch_changes(base_url, api_key, after, apply, limit=500, max_pages=20, opener=urllib.request.urlopen):
    """Reads the feed from ``after`` page by page, handing each page's changes to ``apply(changes)`` (which returns
    its decisions: the same path as a push), until a page is short or ``max_pages`` were read. ``cursor`` of the
    result is where the next read starts."""
    result = FetchResult(cursor=after)
    while result.pages < max_pages:
        changes, next_cursor = fetch_page(base_url, api_key, result.cursor, limit, opener=opener)
        result.pages += 1
        if changes:
            result.decisions.extend(apply(changes))
            result.cursor = max(result.cursor, next_cursor)
        if len(changes) < limit:
            break
    return result
