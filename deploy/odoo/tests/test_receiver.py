"""The receiver over HTTP, as the product reaches it: signed pushes in both formats, single and batched, a repeat and
an older change, and "Fetch missed changes" from a feed served the way GET /api/changes serves it."""

import json
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.server import ThreadingHTTPServer

from .receiver import JsonHandler, MemoryReceiver, load_push_core, serve
from .test_push_core import HMAC_SECRET, NOW, WHSEC, body_of, change, hmac_headers, standard_headers

push = load_push_core()


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers={'Content-Type': 'application/json', **headers}, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Running:
    """An http.server on a free port, served from a thread for the length of a test."""

    def __init__(self, server):
        self.server = server
        self.url = f'http://127.0.0.1:{server.server_address[1]}'
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.server.server_close()


class ReceiverOverHttpTests(unittest.TestCase):

    def setUp(self):
        self.receiver = MemoryReceiver(['retired-secret', HMAC_SECRET, WHSEC], clock=lambda: NOW)
        self.running = Running(serve(self.receiver)).__enter__()
        self.addCleanup(self.running.__exit__)
        self.webhook = self.running.url + '/orleans/webhook'

    def test_single_and_batched_pushes_in_both_formats_repeats_and_older_changes(self):
        single = body_of(change(1, amount=10))
        self.assertEqual((200, {'applied': 1, 'repeats': 0, 'older': 0, 'unsupported': 0}),
                         post(self.webhook, single, hmac_headers(single, message_id='1')))

        batch = body_of({'changes': [change(2, kind='order', object_id='ord_1'), change(4, amount=30)]})
        self.assertEqual(200, post(self.webhook, batch, standard_headers(batch, message_id='batch_2_4'))[0])

        # The product sends again what it is not sure was received (same id), and a change that lost a race with a
        # newer one of its object (here: 3 after 4) must not put the older view back.
        repeat = body_of(change(4, amount=30))
        self.assertEqual((200, {'applied': 0, 'repeats': 1, 'older': 0, 'unsupported': 0}),
                         post(self.webhook, repeat, hmac_headers(repeat, message_id='4')))
        older = body_of({'changes': [change(3, amount=20), change(5, object_id='pay_2')]})
        self.assertEqual((200, {'applied': 1, 'repeats': 0, 'older': 1, 'unsupported': 0}),
                         post(self.webhook, older, hmac_headers(older, message_id='3-5')))

        state = self.receiver.state()
        self.assertEqual([1, 2, 4, 5], state['applied'])
        self.assertEqual({'payment:stripe:pay_1': [1, 4], 'order:stripe:ord_1': [2], 'payment:stripe:pay_2': [5]}, state['appliedByObject'])
        self.assertEqual(([4], [3]), (state['repeats'], state['older']))
        self.assertEqual(30, state['objects']['payment:stripe:pay_1']['view']['amount'])
        self.assertEqual('4', state['objects']['payment:stripe:pay_1']['changeId'])
        self.assertEqual([(p['messageId'], p['expectedMessageId'], p['batch']) for p in state['posts']],
                         [('1', '1', False), ('batch_2_4', 'batch_2_4', True), ('4', '4', False), ('3-5', '3-5', True)])

    def test_bad_signature_is_401_and_bad_body_is_400_and_neither_applies_anything(self):
        body = body_of(change(1))
        status, answer = post(self.webhook, body, hmac_headers(body, secret='wrong'))
        self.assertEqual((401, {'error': 'signature mismatch'}), (status, answer))
        stale = standard_headers(body, timestamp=NOW - 3600)
        self.assertEqual(401, post(self.webhook, body, stale)[0])
        self.assertEqual(400, post(self.webhook, b'{"changes":[]}', hmac_headers(b'{"changes":[]}'))[0])
        self.assertEqual([], self.receiver.state()['applied'])


class FakeFeed:
    """GET /api/changes as the product serves it: pages after a cursor, and a 410 when asked for pruned changes."""

    def __init__(self, changes, oldest_kept=1):
        self.changes, self.oldest_kept, self.requests = changes, oldest_kept, []
        feed = self

        class Handler(JsonHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                feed.requests.append((url.path, query, self.headers.get('X-Api-Key')))
                after, limit = int(query.get('after', 0)), int(query.get('limit', 100))
                if after + 1 < feed.oldest_kept:
                    self._answer(410, {'title': 'Changes deleted', 'detail': 'reconcile', 'newest': str(len(feed.changes))})
                    return
                page = [c for c in feed.changes if int(c['cursor']) > after][:limit]
                self._answer(200, {'changes': page, 'next': page[-1]['cursor'] if page else str(after)})

        self.running = Running(ThreadingHTTPServer(('127.0.0.1', 0), Handler))


def feed_change(cursor, object_id, amount):
    return {'cursor': str(cursor), 'kind': 'payment', 'provider': 'hmac', 'id': object_id,
            'view': {'provider': 'hmac', 'id': object_id, 'amount': amount}, 'event': f'hmac:evt_{cursor}', 'at': '2026-12-02T12:00:00+00:00'}


class FetchTests(unittest.TestCase):

    def test_fetch_reads_every_page_from_the_cursor_through_the_push_path(self):
        feed = FakeFeed([feed_change(i, f'pay_{i % 3}', i) for i in range(1, 8)])
        receiver = MemoryReceiver([HMAC_SECRET])
        receiver.apply(push.parse_push(body_of(change(6, provider='hmac', object_id='pay_0', amount=6))).changes)
        with feed.running:
            answer = receiver.fetch(feed.running.url, after=2, limit=2)
            again = receiver.fetch(feed.running.url, limit=2)  # from the stored cursor: nothing new
        # 3..7 read in pages of 2; 6 is the change already applied (a repeat) and 3 is older than it (same object).
        self.assertEqual({'cursor': '7', 'pages': 3, 'applied': 3, 'repeats': 1, 'older': 1, 'unsupported': 0}, answer)
        self.assertEqual([('2', '2'), ('4', '2'), ('6', '2'), ('7', '2')], [(q['after'], q['limit']) for _, q, _ in feed.requests])
        self.assertEqual({'payment:hmac:pay_0': [6], 'payment:hmac:pay_1': [4, 7], 'payment:hmac:pay_2': [5]},
                         receiver.state()['appliedByObject'])
        self.assertEqual({'cursor': '7', 'pages': 1, 'applied': 0, 'repeats': 0, 'older': 0, 'unsupported': 0}, again)

    def test_an_api_key_is_sent_and_pruned_changes_are_a_clear_error(self):
        feed = FakeFeed([feed_change(i, 'pay_1', i) for i in range(1, 4)], oldest_kept=3)
        with feed.running:
            with self.assertRaises(push.FeedError) as raised:
                push.fetch_page(feed.running.url, 'the-key', 0, 10)
        self.assertEqual('the-key', feed.requests[0][2])
        self.assertEqual(3, raised.exception.newest)
        self.assertIn('deleted by the product', str(raised.exception))
        self.assertNotIn('the-key', str(raised.exception))

    def test_an_unreachable_product_is_a_feed_error(self):
        with self.assertRaises(push.FeedError):
            push.fetch_page('http://127.0.0.1:9', None, 0, 10, timeout=2)


if __name__ == '__main__':
    unittest.main()
