"""A push receiver built on the addon's pure module, as the Odoo controller is, with its state in memory.

Run by the end-to-end test (tests/EndToEnd.Tests/Destinations/OdooAddonTests.cs) against the real product, and by the
unit tests in this folder:

    python3 deploy/odoo/tests/receiver.py --port 0 --secret <secret> [--secret <another>] [--tolerance 300]

It prints {"port": <port>} on its first line of output, then serves
- POST /orleans/webhook: verify (401), parse (400), apply (200 with what it did), as the addon's controller;
- POST /fetch?api=<product base URL>&after=<cursor>&limit=<n>: "Fetch missed changes" through the same code path;
- GET /state: what it applied, as JSON.
"""

import argparse
import importlib.util
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_MODULE_NAME = 'orleans_webhooks_push_core'


def load_push_core():
    """The addon's pure module, loaded by its path: importing the addon's package would import Odoo."""
    if _MODULE_NAME in sys.modules:
        return sys.modules[_MODULE_NAME]
    path = Path(__file__).resolve().parent.parent / 'orleans_webhooks' / 'push_core.py'
    spec = importlib.util.spec_from_file_location(_MODULE_NAME, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


push = load_push_core()


class MemoryReceiver:
    """What the addon keeps in its tables, in memory: per object the newest applied change id and its view."""

    def __init__(self, secrets, tolerance=push.DEFAULT_TOLERANCE_SECONDS, clock=time.time):
        self.secrets = list(secrets)
        self.tolerance = tolerance
        self.clock = clock
        self._lock = threading.Lock()
        self.newest = {}          # key -> change id
        self.views = {}           # key -> view
        self.applied = []         # change ids in the order applied
        self.applied_by_object = {}  # "kind:provider:id" -> [change ids in the order applied]
        self.ignored = {push.REPEAT: [], push.OLDER: [], push.UNSUPPORTED: []}
        self.posts = []           # one entry per POST
        self.cursor = 0           # the feed cursor of "Fetch missed changes"

    def apply(self, changes):
        """Plans and applies a batch atomically (one lock, as one transaction), the same for a push and the feed."""
        with self._lock:
            decisions = push.plan(changes, self.newest)
            for decision in decisions:
                change = decision.change
                if decision.action != push.APPLY:
                    self.ignored[decision.action].append(change.id)
                    continue
                self.newest[change.key] = change.id
                self.views[change.key] = change.view
                self.applied.append(change.id)
                self.applied_by_object.setdefault(':'.join(change.key), []).append(change.id)
            return decisions

    def receive(self, headers, body):
        """A POST of the push: (status, answer)."""
        verification = push.verify(headers, body, self.secrets, now=self.clock(), tolerance=self.tolerance)
        if not verification.ok:
            self._record(status=401, reason=verification.reason)
            return 401, {'error': verification.reason}
        try:
            message = push.parse_push(body)
        except push.BadPayload as error:
            self._record(status=400, reason=str(error))
            return 400, {'error': str(error)}
        decisions = self.apply(message.changes)
        self._record(status=200, format=verification.format, batch=message.batch,
                     ids=[c.id for c in message.changes], messageId=push.message_id(headers, verification.format),
                     expectedMessageId=push.expected_message_id(message, verification.format))
        return 200, push.summary(decisions)

    def fetch(self, api, after=None, limit=500, api_key=None):
        result = push.fetch_changes(api, api_key, self.cursor if after is None else after, self.apply, limit=limit)
        with self._lock:
            self.cursor = result.cursor
        return {'cursor': str(result.cursor), 'pages': result.pages, **push.summary(result.decisions)}

    def _record(self, **post):
        with self._lock:
            self.posts.append(post)

    def state(self):
        with self._lock:
            return {
                'objects': {':'.join(key): {'changeId': str(self.newest[key]), 'view': view} for key, view in self.views.items()},
                'applied': list(self.applied),
                'appliedByObject': {key: list(ids) for key, ids in self.applied_by_object.items()},
                'repeats': list(self.ignored[push.REPEAT]),
                'older': list(self.ignored[push.OLDER]),
                'unsupported': list(self.ignored[push.UNSUPPORTED]),
                'posts': list(self.posts),
                'cursor': str(self.cursor),
            }


class JsonHandler(BaseHTTPRequestHandler):
    """http.server's handler answering JSON, quietly (the state tells what happened)."""
    protocol_version = 'HTTP/1.1'  # keep-alive: the product reuses its connections

    def _answer(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        pass


def serve(receiver, port=0):
    """An http.server on 127.0.0.1 answering for ``receiver``; returns the server (serve_forever is up to the caller)."""

    class Handler(JsonHandler):
        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
            if url.path == '/orleans/webhook':
                self._answer(*receiver.receive(self.headers, body))
            elif url.path == '/fetch':
                query = dict(urllib.parse.parse_qsl(url.query))
                try:
                    after = int(query['after']) if 'after' in query else None
                    self._answer(200, receiver.fetch(query['api'], after, int(query.get('limit', 500))))
                except push.FeedError as error:
                    self._answer(502, {'error': str(error)})
            else:
                self._answer(404, {'error': 'not found'})

        def do_GET(self):
            if urllib.parse.urlsplit(self.path).path == '/state':
                self._answer(200, receiver.state())
            else:
                self._answer(404, {'error': 'not found'})

    server = ThreadingHTTPServer(('127.0.0.1', port), Handler)
    server.daemon_threads = True
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--secret', action='append', required=True)
    parser.add_argument('--tolerance', type=int, default=push.DEFAULT_TOLERANCE_SECONDS)
    args = parser.parse_args(argv)
    server = serve(MemoryReceiver(args.secret, args.tolerance), args.port)
    print(json.dumps({'port': server.server_address[1]}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
