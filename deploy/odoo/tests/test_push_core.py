import base64
import hashlib
import hmac
import json
import unittest
from datetime import datetime

from .receiver import load_push_core

push = load_push_core()

NOW = 1_796_000_000
HMAC_SECRET = 'odoo-hmac-secret'
KEY = bytes(range(32))
WHSEC = 'whsec_' + base64.b64encode(KEY).decode()


def change(change_id, kind='payment', object_id='pay_1', provider='stripe', **view):
    return {'id': str(change_id), 'type': f'{kind}.updated',
            'data': {'provider': provider, 'id': object_id, 'status': 'completed', **view},
            'cause': {'event': f'{provider}:evt_{change_id}', 'type': 'payment.completed'}}


def body_of(document):
    return json.dumps(document, separators=(',', ':')).encode()


def hmac_headers(body, secret=HMAC_SECRET, message_id='1'):
    return {'X-Webhook-Id': message_id, 'X-Webhook-Signature': hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def standard_headers(body, key=KEY, message_id='1', timestamp=NOW):
    signed = f'{message_id}.{timestamp}.'.encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {'webhook-id': message_id, 'webhook-timestamp': str(timestamp), 'webhook-signature': f'v1,{signature}'}


class VerifyTests(unittest.TestCase):

    def test_hmac_signed_with_any_configured_secret_is_valid(self):
        body = body_of(change(1))
        result = push.verify(hmac_headers(body), body, ['retired-secret', HMAC_SECRET], now=NOW)
        self.assertEqual((True, push.HMAC, 'valid'), (result.ok, result.format, result.reason))

    def test_hmac_header_names_are_case_insensitive(self):
        body = body_of(change(1))
        headers = {k.lower(): v for k, v in hmac_headers(body).items()}
        self.assertTrue(push.verify(headers, body, [HMAC_SECRET], now=NOW).ok)

    def test_hmac_with_a_secret_no_longer_configured_is_a_mismatch(self):
        body = body_of(change(1))
        result = push.verify(hmac_headers(body, secret='retired-secret'), body, [HMAC_SECRET], now=NOW)
        self.assertEqual((False, 'signature mismatch'), (result.ok, result.reason))

    def test_hmac_over_a_changed_body_is_a_mismatch(self):
        body = body_of(change(1))
        self.assertFalse(push.verify(hmac_headers(body), body.replace(b'completed', b'refunded'), [HMAC_SECRET], now=NOW).ok)

    def test_no_signature_header_or_no_secret_is_refused(self):
        body = body_of(change(1))
        self.assertEqual('signature header missing', push.verify({}, body, [HMAC_SECRET], now=NOW).reason)
        self.assertEqual('no secret is configured', push.verify(hmac_headers(body), body, [], now=NOW).reason)

    def test_non_ascii_signature_header_is_a_mismatch_not_an_error(self):
        body = body_of(change(1))
        self.assertFalse(push.verify({'X-Webhook-Signature': 'é' * 64}, body, [HMAC_SECRET], now=NOW).ok)

    def test_standard_webhooks_signed_with_any_whsec_secret_is_valid(self):
        body = body_of(change(7))
        other = 'whsec_' + base64.b64encode(b'another key of 32 bytes........').decode()
        result = push.verify(standard_headers(body, message_id='7'), body, [HMAC_SECRET, other, WHSEC], now=NOW)
        self.assertEqual((True, push.STANDARD_WEBHOOKS), (result.ok, result.format))

    def test_standard_webhooks_takes_any_of_several_signatures(self):
        body = body_of(change(7))
        headers = standard_headers(body, message_id='7')
        headers['webhook-signature'] = 'v1,AAAA ' + headers['webhook-signature']
        self.assertTrue(push.verify(headers, body, [WHSEC], now=NOW).ok)

    def test_standard_webhooks_signs_the_id_so_another_id_is_a_mismatch(self):
        body = body_of(change(7))
        headers = standard_headers(body, message_id='7')
        headers['webhook-id'] = '8'
        self.assertEqual('signature mismatch', push.verify(headers, body, [WHSEC], now=NOW).reason)

    def test_standard_webhooks_timestamp_outside_the_tolerance_is_refused(self):
        body = body_of(change(7))
        old = standard_headers(body, timestamp=NOW - 301)
        late = standard_headers(body, timestamp=NOW + 301)
        self.assertEqual('webhook-timestamp outside the tolerance', push.verify(old, body, [WHSEC], now=NOW).reason)
        self.assertFalse(push.verify(late, body, [WHSEC], now=NOW).ok)
        self.assertTrue(push.verify(standard_headers(body, timestamp=NOW - 300), body, [WHSEC], now=NOW).ok)
        self.assertTrue(push.verify(old, body, [WHSEC], now=NOW, tolerance=600).ok)

    def test_standard_webhooks_without_a_whsec_secret_is_refused(self):
        body = body_of(change(7))
        result = push.verify(standard_headers(body), body, [HMAC_SECRET, 'whsec_not base64!'], now=NOW)
        self.assertEqual((False, 'no whsec_ secret is configured'), (result.ok, result.reason))

    def test_split_secrets_takes_lines_and_commas(self):
        self.assertEqual(['a', 'b', 'c'], push.split_secrets(' a,\nb \r\n, c,'))
        self.assertEqual([], push.split_secrets(None))


class ParseTests(unittest.TestCase):

    def test_a_single_change(self):
        message = push.parse_push(body_of(change(12, kind='order', object_id='ord/1', total=10.5)))
        self.assertFalse(message.batch)
        [parsed] = message.changes
        self.assertEqual((12, 'order', 'stripe', 'ord/1', 'stripe:evt_12', 'payment.completed'),
                         (parsed.id, parsed.kind, parsed.provider, parsed.object_id, parsed.event, parsed.event_type))
        self.assertEqual(10.5, parsed.view['total'])
        self.assertEqual('12', push.expected_message_id(message, push.HMAC))
        self.assertEqual('12', push.expected_message_id(message, push.STANDARD_WEBHOOKS))

    def test_a_batch_keeps_the_order_sent_and_names_its_first_and_last_ids(self):
        message = push.parse_push(body_of({'changes': [change(3), change(5, object_id='pay_2'), change(9)]}))
        self.assertTrue(message.batch)
        self.assertEqual([3, 5, 9], [c.id for c in message.changes])
        self.assertEqual('3-9', push.expected_message_id(message, push.HMAC))
        self.assertEqual('batch_3_9', push.expected_message_id(message, push.STANDARD_WEBHOOKS))

    def test_message_id_reads_the_header_of_the_format(self):
        self.assertEqual('3-9', push.message_id({'x-webhook-id': '3-9'}, push.HMAC))
        self.assertEqual('batch_3_9', push.message_id({'Webhook-Id': 'batch_3_9'}, push.STANDARD_WEBHOOKS))

    def test_bodies_that_are_not_a_push_are_bad_payloads(self):
        bad = [b'not json', b'\xff\xfe', b'[]', body_of({'changes': []}), body_of({'changes': [1]}),
               body_of({**change(1), 'id': 'abc'}), body_of({**change(1), 'id': '0'}), body_of({**change(1), 'id': True}),
               body_of({**change(1), 'type': 'payment'}), body_of({**change(1), 'data': {'id': 'x'}}),
               body_of({**change(1), 'data': []})]
        for body in bad:
            with self.subTest(body=body), self.assertRaises(push.BadPayload):
                push.parse_push(body)

    def test_a_feed_page(self):
        page = {'changes': [{'cursor': '41', 'kind': 'customer', 'provider': 'hmac', 'id': 'cus_1',
                             'view': {'provider': 'hmac', 'id': 'cus_1', 'email': 'a@example.com'},
                             'event': 'hmac:evt_1', 'at': '2026-12-02T12:00:00+00:00'}], 'next': '41'}
        changes, after = push.parse_feed(body_of(page))
        self.assertEqual(41, after)
        self.assertEqual((41, 'customer', 'cus_1', 'hmac:evt_1'), (changes[0].id, changes[0].kind, changes[0].object_id, changes[0].event))
        self.assertEqual(([], 0), push.parse_feed(body_of({'changes': [], 'next': '0'})))
        with self.assertRaises(push.BadPayload):
            push.parse_feed(body_of({'items': []}))


class PlanTests(unittest.TestCase):

    @staticmethod
    def parsed(*changes):
        return push.parse_push(body_of({'changes': list(changes)})).changes

    def actions(self, decisions):
        return [(d.change.id, d.action) for d in decisions]

    def test_new_objects_and_newer_changes_are_applied_in_id_order(self):
        decisions = push.plan(self.parsed(change(5), change(2, object_id='pay_2'), change(7)), {('payment', 'stripe', 'pay_1'): 3})
        self.assertEqual([(2, push.APPLY), (5, push.APPLY), (7, push.APPLY)], self.actions(decisions))

    def test_a_repeated_change_is_not_applied_again(self):
        decisions = push.plan(self.parsed(change(5)), {('payment', 'stripe', 'pay_1'): 5})
        self.assertEqual([(5, push.REPEAT)], self.actions(decisions))

    def test_a_change_older_than_the_newest_applied_is_not_applied(self):
        decisions = push.plan(self.parsed(change(4), change(6, object_id='pay_2')), {('payment', 'stripe', 'pay_1'): 5})
        self.assertEqual([(4, push.OLDER), (6, push.APPLY)], self.actions(decisions))

    def test_within_one_batch_a_repeat_and_an_older_change_are_caught_too(self):
        decisions = push.plan(self.parsed(change(8), change(8), change(6)), {})
        self.assertEqual([(6, push.APPLY), (8, push.APPLY), (8, push.REPEAT)], self.actions(decisions))

    def test_the_same_object_id_of_another_kind_or_provider_is_another_object(self):
        decisions = push.plan(self.parsed(change(2, kind='order'), change(3, provider='paypal')), {('payment', 'stripe', 'pay_1'): 9})
        self.assertEqual([(2, push.APPLY), (3, push.APPLY)], self.actions(decisions))

    def test_an_unknown_kind_is_acknowledged_without_being_applied(self):
        decisions = push.plan(self.parsed(change(2, kind='invoice')), {})
        self.assertEqual([(2, push.UNSUPPORTED)], self.actions(decisions))
        self.assertEqual({'applied': 0, 'repeats': 0, 'older': 0, 'unsupported': 1}, push.summary(decisions))

    def test_the_stored_ids_are_not_changed_by_planning(self):
        stored = {('payment', 'stripe', 'pay_1'): 1}
        push.plan(self.parsed(change(2)), stored)
        self.assertEqual({('payment', 'stripe', 'pay_1'): 1}, stored)


class RecordValuesTests(unittest.TestCase):

    def test_payment(self):
        [parsed] = push.parse_push(body_of(change(
            3, amount=12.34, currency='eur', refundedAmount=2, disputedAmount=0, customerId='cus_1', orderId=None,
            updatedAt='2026-12-02T13:00:00.1234567+01:00'))).changes
        values = push.record_values(parsed)
        self.assertEqual({'provider': 'stripe', 'external_id': 'pay_1', 'status': 'completed', 'amount': 12.34,
                          'currency': 'eur', 'refunded_amount': 2.0, 'disputed_amount': 0.0, 'customer_ref': 'cus_1',
                          'order_ref': None, 'change_id': '3', 'cause_event': 'stripe:evt_3',
                          'updated_at': datetime(2026, 12, 2, 12, 0, 0, 123456)},
                         {k: v for k, v in values.items() if k != 'view_json'})
        self.assertEqual(parsed.view, json.loads(values['view_json']))

    def test_order_and_customer(self):
        order, customer = push.parse_push(body_of({'changes': [
            change(4, kind='order', object_id='ord_1', total=20, paidAmount=20, refundedAmount=0,
                   paymentIds=['pay_1', 'pay_2'], createdAt='2026-12-02T12:00:00Z'),
            change(5, kind='customer', object_id='cus_1', email='a@example.com', name='A', paymentIds=[], orderIds=['ord_1'],
                   paymentCount=0, orderCount=1, lastActivityAt='2026-12-02T12:00:00+00:00')]})).changes
        self.assertEqual(('pay_1, pay_2', 20.0, datetime(2026, 12, 2, 12)),
                         tuple(push.record_values(order)[k] for k in ('payment_refs', 'total', 'created_at')))
        values = push.record_values(customer)
        self.assertNotIn('status', values)
        self.assertEqual(('a@example.com', 'A', '', 'ord_1', 1, datetime(2026, 12, 2, 12)),
                         tuple(values[k] for k in ('email', 'name', 'payment_refs', 'order_refs', 'order_count', 'last_activity_at')))

    def test_unreadable_times_are_none(self):
        self.assertIsNone(push.utc_datetime('yesterday'))
        self.assertIsNone(push.utc_datetime(None))
        self.assertEqual(datetime(2026, 12, 2, 14, 30), push.utc_datetime('2026-12-02T12:00:00-02:30'))


if __name__ == '__main__':
    unittest.main()
