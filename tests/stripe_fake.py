"""A fake Stripe API served on localhost, so the real `stripe` library runs end to end in tests.

Point a client at it and nothing leaves the machine:

    with FakeStripe() as fake:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": fake.url})
        session = client.v1.checkout.sessions.create(params={...})
        fake.complete_checkout(session.id)          # what the customer does on Stripe's page

Only the endpoints Archipel uses exist. They answer as Stripe's API reference describes: the
object shapes and id prefixes, the `{"error": {...}}` body with its HTTP status, form-encoded
nested parameters, and v1 idempotency (a retry with the same `Idempotency-Key` replays the
stored answer; the same key with other parameters or another endpoint is an `idempotency_error`;
a request that fails validation stores nothing, as Stripe only saves once execution begins).

Test controls (`complete_checkout`, `refund_outside`, `make_account_ready`, `event`, ...) play
Stripe's side of the story; `fail_next` loses answers on the wire to exercise the retries.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import html
import json
import re
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import stripe

API_KEY = "sk_test_fake"
KINDS = (
    "account",
    "account_link",
    "checkout.session",
    "payment_intent",
    "charge",
    "refund",
    "dispute",
)
# A dispute in one of these statuses holds its charge: Stripe refuses to refund it (an inquiry,
# warning_*, took no money and may still be answered by a refund).
DISPUTE_HOLDS = ("needs_response", "under_review", "lost")
DISPUTE_FINAL = ("won", "lost", "warning_closed", "prevented")

# The smallest amount Stripe charges, per currency (in the currency's minor unit).
MINIMUM_CHARGE = {"eur": 50, "usd": 50, "chf": 50, "gbp": 30}
DEFAULT_CURRENCY = {"FR": "eur", "BE": "eur", "DE": "eur", "CH": "chf", "GB": "gbp", "US": "usd"}
# What Stripe asks of a new Express account before it may take payments.
ONBOARDING_DUE = [
    "business_profile.mcc",
    "business_profile.url",
    "business_type",
    "external_account",
    "representative.first_name",
    "representative.last_name",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]
EXPANDABLE = {
    "checkout.session": {"payment_intent"},
    "payment_intent": {"latest_charge"},
    "charge": {"payment_intent"},
    "refund": {"charge", "payment_intent"},
}
EXPANDED_KIND = {"payment_intent": "payment_intent", "latest_charge": "charge", "charge": "charge"}
_ALNUM = string.ascii_letters + string.digits


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def _now() -> int:
    return int(time.time())


def sign(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send with this payload (scheme v1)."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8")
    ts = _now() if timestamp is None else timestamp
    mac = hmac.new(secret.encode("utf-8"), f"{ts}.{payload}".encode(), hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"


# -- Form decoding -------------------------------------------------------------------------


def parse_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's nested form keys (`a[b][0][c]=v`, `a[]=v`) as nested dicts and lists.

    Values stay strings. A level whose keys are all digits becomes a list, except under
    `metadata`, where "3" is a key like any other.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, bracket, rest = key.partition("[")
        segments = [head, *re.findall(r"\[([^\]]*)\]", bracket + rest)]
        node = root
        for i, segment in enumerate(segments):
            if segment == "":
                segment = str(len(node))  # `a[]=x`: append
            if i == len(segments) - 1:
                node[segment] = value
            else:
                if not isinstance(node.get(segment), dict):
                    node[segment] = {}
                node = node[segment]
    return _listify(root)


def _listify(node: Any, key: str | None = None) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v, k) for k, v in node.items()}
    if key is not None and key != "metadata" and items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


# -- Errors and parameter checks -----------------------------------------------------------


class StripeError(Exception):
    """An API error, rendered as Stripe renders it.

    `executed` says whether the endpoint had begun its work: only then does Stripe store the
    answer under the idempotency key (a validation error is not stored, a retry runs again).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type: str = "invalid_request_error",
        executed: bool = False,
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.type, self.executed = type, executed

    def body(self) -> dict[str, Any]:
        error = {"type": self.type, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        if self.code is not None:
            error["code"] = self.code
        return {"error": error}


def _missing(param: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {param}.", param=param, code="parameter_missing"
    )


def _no_such(kind: str, object_id: str, param: str, status: int = 404) -> StripeError:
    return StripeError(
        status, f"No such {kind}: '{object_id}'", param=param, code="resource_missing"
    )


def _int(value: Any, param: str, minimum: int | None = None) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise StripeError(
            400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer"
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise StripeError(
            400,
            f"This value must be greater than or equal to {minimum}.",
            param=param,
            code="parameter_invalid_integer",
        )
    return number


def _bool(value: Any, param: str) -> bool:
    if value not in ("true", "false"):
        raise StripeError(400, f"Invalid boolean: {value}", param=param, code="parameter_invalid")
    return value == "true"


def _metadata(value: Any) -> dict[str, str]:
    # `metadata=""` is how a client sends "no metadata".
    return dict(value) if isinstance(value, dict) else {}


ANY = "any"  # a parameter whose inside the fake does not check


def _check_known(params: Any, spec: Any, prefix: str = "") -> None:
    """Refuse unknown parameters, as Stripe does (`parameter_unknown`): it catches typos."""
    if spec == ANY:
        return
    if isinstance(spec, list):
        if not isinstance(params, list):
            raise StripeError(
                400, f"Invalid array: {prefix}", param=prefix, code="parameter_invalid"
            )
        for i, item in enumerate(params):
            _check_known(item, spec[0], f"{prefix}[{i}]")
    elif isinstance(spec, dict):
        if not isinstance(params, dict):
            raise StripeError(
                400, f"Invalid object: {prefix}", param=prefix, code="parameter_invalid"
            )
        for key, value in params.items():
            name = f"{prefix}[{key}]" if prefix else key
            if key not in spec and "*" not in spec:
                raise StripeError(
                    400, f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
                )
            _check_known(value, spec.get(key, spec.get("*")), name)
    elif isinstance(params, dict | list):
        raise StripeError(400, f"Invalid string: {prefix}", param=prefix, code="parameter_invalid")


RETRIEVE_SPEC = {"expand": ANY}
ACCOUNT_SPEC = {
    "type": None,
    "country": None,
    "email": None,
    "business_type": None,
    "capabilities": {"*": {"requested": None}},
    "metadata": ANY,
    "business_profile": ANY,
    "controller": ANY,
    "default_currency": None,
    "settings": ANY,
    "tos_acceptance": ANY,
    "individual": ANY,
    "company": ANY,
    "expand": ANY,
}
ACCOUNT_LINK_SPEC = {
    "account": None,
    "refresh_url": None,
    "return_url": None,
    "type": None,
    "collect": None,
    "collection_options": ANY,
    "expand": ANY,
}
SESSION_SPEC = {
    "mode": None,
    "success_url": None,
    "cancel_url": None,
    "line_items": [
        {
            "price_data": {
                "currency": None,
                "unit_amount": None,
                "product_data": {"name": None, "description": None, "images": ANY, "metadata": ANY},
                "tax_behavior": None,
            },
            "quantity": None,
            "price": None,
        }
    ],
    "payment_intent_data": {
        "application_fee_amount": None,
        "transfer_data": {"destination": None, "amount": None},
        "metadata": ANY,
        "description": None,
        "on_behalf_of": None,
        "receipt_email": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "transfer_group": None,
    },
    "metadata": ANY,
    "client_reference_id": None,
    "customer_email": None,
    "customer": None,
    "expires_at": None,
    "locale": None,
    "payment_method_types": ANY,
    "submit_type": None,
    "billing_address_collection": None,
    "custom_text": ANY,
    "expand": ANY,
}
REFUND_SPEC = {
    "payment_intent": None,
    "charge": None,
    "amount": None,
    "reverse_transfer": None,
    "refund_application_fee": None,
    "reason": None,
    "metadata": ANY,
    "expand": ANY,
}


# -- Recording ------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One API request as the fake saw it (headers with lower-case names)."""

    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    idempotency_key: str | None
    replayed: bool = False
    status: int | None = None
    dropped: bool = False  # processed, but the answer was never sent (`fail_next`)


@dataclass
class _Stored:
    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    request_id: str


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._handle(self)

    do_POST = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeStripe


# -- The fake -------------------------------------------------------------------------------


class FakeStripe:
    """Stripe's API on 127.0.0.1, with the state it keeps and controls to move that state."""

    def __init__(self, *, api_version: str | None = None, country: str = "FR"):
        self.api_version = api_version or stripe.api_version
        self.country = country
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # (method, path, endpoint, kind of object answered: what `expand` starts from)
        routes: list[tuple[str, str, Callable[..., dict[str, Any]], str]] = [
            ("POST", r"/v1/accounts", self._create_account, "account"),
            ("GET", r"/v1/accounts/([^/]+)", self._retriever("account", "account"), "account"),
            ("POST", r"/v1/account_links", self._create_account_link, "account_link"),
            ("POST", r"/v1/checkout/sessions", self._create_session, "checkout.session"),
            ("GET", r"/v1/checkout/sessions/([^/]+)", self._retrieve_session, "checkout.session"),
            (
                "POST",
                r"/v1/checkout/sessions/([^/]+)/expire",
                self._expire_session,
                "checkout.session",
            ),
            (
                "GET",
                r"/v1/payment_intents/([^/]+)",
                self._retriever("payment_intent", "intent"),
                "payment_intent",
            ),
            ("GET", r"/v1/charges/([^/]+)", self._retriever("charge", "charge"), "charge"),
            ("GET", r"/v1/disputes/([^/]+)", self._retriever("dispute", "dispute"), "dispute"),
            ("POST", r"/v1/refunds", self._create_refund, "refund"),
        ]
        self._routes = [(m, re.compile(p), f, kind) for m, p, f, kind in routes]
        self.reset()

    # Lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeStripe:
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.fake = self
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},  # stop() waits at most this long
                name="fake-stripe",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeStripe is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def client(self, api_key: str = API_KEY, **options: Any) -> stripe.StripeClient:
        """A real StripeClient aimed at this fake (options as StripeClient takes them)."""
        return stripe.StripeClient(api_key, base_addresses={"api": self.url}, **options)

    def reset(self) -> None:
        """Forget every object, request, idempotency record and pending failure."""
        with self._lock:
            self._objects: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
            self._payment_intent_data: dict[str, dict[str, Any]] = {}
            self._refund_options: dict[str, dict[str, bool]] = {}
            self._requests: list[RecordedRequest] = []
            self._idempotency: dict[str, _Stored] = {}
            self._fail_remaining = 0

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def fail_next(self, count: int = 1) -> None:
        """Process the next `count` POST requests, then close the connection unanswered."""
        with self._lock:
            self._fail_remaining = count

    # Inspection -------------------------------------------------------------------------

    def objects(self, kind: str) -> list[dict[str, Any]]:
        """Copies of the stored objects of a kind ("account", "checkout.session", ...)."""
        with self._lock:
            return copy.deepcopy(list(self._objects[kind].values()))

    def get(self, kind: str, object_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._objects[kind][object_id])

    def payment_intent_data(self, session_id: str) -> dict[str, Any]:
        """The raw `payment_intent_data` a Checkout Session was created with."""
        with self._lock:
            return copy.deepcopy(self._payment_intent_data[session_id])

    def refund_options(self, refund_id: str) -> dict[str, bool]:
        """`reverse_transfer` and `refund_application_fee` as the refund was asked for."""
        with self._lock:
            return dict(self._refund_options[refund_id])

    # Controls: what happens on Stripe's side --------------------------------------------

    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """The customer pays: a succeeded payment intent and its charge; the session completes."""
        with self._lock:
            session = self._open_session(session_id)
            intent = self._intent_for(session)
            charge = self._new_charge(intent, succeeded=True)
            intent.update(
                status="succeeded",
                amount_received=intent["amount"],
                latest_charge=charge["id"],
                last_payment_error=None,
            )
            session.update(status="complete", payment_status="paid", url=None)
            session["customer_details"] = {"email": session["customer_email"], "name": None}
            return copy.deepcopy(session)

    def fail_checkout_payment(
        self, session_id: str, message: str = "Your card was declined."
    ) -> dict[str, Any]:
        """A card is declined on the Checkout page: the session stays open, its intent waits."""
        with self._lock:
            session = self._open_session(session_id)
            intent = self._intent_for(session)
            charge = self._new_charge(intent, succeeded=False, failure_message=message)
            intent.update(
                status="requires_payment_method",
                latest_charge=charge["id"],
                last_payment_error={
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": message,
                    "charge": charge["id"],
                },
            )
            return copy.deepcopy(session)

    def expire_checkout(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._expire(self._stored("checkout.session", session_id)))

    def refund_outside(self, charge_id: str) -> dict[str, Any]:
        """A full refund made from Stripe's dashboard; returns the charge."""
        with self._lock:
            charge = self._stored("charge", charge_id)
            remaining = charge["amount"] - charge["amount_refunded"]
            if remaining <= 0:
                raise ValueError(f"{charge_id} is already fully refunded")
            self._refund(charge, remaining, {}, reverse_transfer=False, refund_fee=False)
            return copy.deepcopy(charge)

    def open_dispute(
        self,
        charge_id: str,
        *,
        status: str = "needs_response",
        reason: str = "fraudulent",
        amount: int | None = None,
    ) -> dict[str, Any]:
        """The payer's bank questions (status warning_needs_response) or disputes (all of, or
        `amount` of) a paid charge; returns the dispute. A charge has one dispute at a time."""
        with self._lock:
            charge = self._stored("charge", charge_id)
            earlier = [d for d in self._objects["dispute"].values() if d["charge"] == charge_id]
            if charge["status"] != "succeeded" or any(
                d["status"] != "warning_closed" for d in earlier
            ):
                raise ValueError(f"{charge_id} cannot be disputed")
            dispute = {
                "id": "dp_1" + _random(23),
                "object": "dispute",
                "amount": charge["amount"] if amount is None else amount,
                "balance_transactions": [],
                "charge": charge_id,
                "created": _now(),
                "currency": charge["currency"],
                "is_charge_refundable": status not in DISPUTE_HOLDS,
                "livemode": False,
                "metadata": {},
                "payment_intent": charge["payment_intent"],
                "reason": reason,
                "status": status,
            }
            self._objects["dispute"][dispute["id"]] = dispute
            charge["disputed"] = True
            return copy.deepcopy(dispute)

    def update_dispute(self, dispute_id: str, status: str) -> dict[str, Any]:
        """The dispute moves on: under_review, then won or lost (final)."""
        with self._lock:
            dispute = self._stored("dispute", dispute_id)
            if dispute["status"] in DISPUTE_FINAL:
                raise ValueError(f"{dispute_id} is closed ({dispute['status']})")
            dispute["status"] = status
            dispute["is_charge_refundable"] = status not in DISPUTE_HOLDS
            return copy.deepcopy(dispute)

    def update_account(self, account_id: str, **fields: Any) -> dict[str, Any]:
        """Change an account as onboarding would (dicts such as `capabilities` are merged)."""
        with self._lock:
            account = self._stored("account", account_id)
            for key, value in fields.items():
                if isinstance(value, dict) and isinstance(account.get(key), dict):
                    account[key].update(value)
                else:
                    account[key] = value
            return copy.deepcopy(account)

    def make_account_ready(self, account_id: str) -> dict[str, Any]:
        """Onboarding finished: charges and payouts enabled, capabilities active, nothing due."""
        with self._lock:
            account = self._stored("account", account_id)
            return self.update_account(
                account_id,
                charges_enabled=True,
                payouts_enabled=True,
                details_submitted=True,
                capabilities=dict.fromkeys(account["capabilities"], "active"),
                requirements={
                    "currently_due": [],
                    "eventually_due": [],
                    "past_due": [],
                    "pending_verification": [],
                    "disabled_reason": None,
                    "current_deadline": None,
                    "errors": [],
                },
            )

    def event(
        self,
        type: str,
        obj: dict[str, Any],
        created: int | None = None,
        *,
        account: str | None = None,
    ) -> dict[str, Any]:
        """A Stripe event carrying a snapshot of `obj` (`account` for a connected account's)."""
        event: dict[str, Any] = {
            "id": "evt_1" + _random(23),
            "object": "event",
            "api_version": self.api_version,
            "created": _now() if created is None else created,
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
        if account is not None:
            event["account"] = account
        return event

    # HTTP -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        split = urlsplit(handler.path)
        path = split.path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8") if length else ""
        if not path.startswith("/v1/"):
            self._page(handler, method, path)
            return
        headers = {k.lower(): v for k, v in handler.headers.items()}
        params = parse_form(
            parse_qsl(split.query, keep_blank_values=True) + parse_qsl(body, keep_blank_values=True)
        )
        key = headers.get("idempotency-key")
        with self._lock:
            answer = self._answer(method, path, params, headers, key)
            dropped = method == "POST" and self._fail_remaining > 0
            if dropped:
                self._fail_remaining -= 1
            self._requests.append(
                RecordedRequest(
                    method, path, params, headers, key, answer.replayed, answer.status, dropped
                )
            )
        if dropped:
            # The work is done and stored; the client never hears of it.
            handler.close_connection = True
            return
        handler.send_response(answer.status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.send_header("Stripe-Version", headers.get("stripe-version", self.api_version))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)

    def _answer(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        headers: dict[str, str],
        key: str | None,
    ) -> _Answer:
        request_id = "req_" + _random(14)
        extra = {"Request-Id": request_id}
        if key is not None and method == "POST":
            extra["Idempotency-Key"] = key
        try:
            self._authenticate(headers.get("authorization"))
            endpoint, args, kind = self._route(method, path)
            if key is not None and method == "POST" and key in self._idempotency:
                stored = self._replayable(self._idempotency[key], method, path, params, key)
                extra.update({"Idempotent-Replayed": "true", "Original-Request": stored.request_id})
                return _Answer(stored.status, stored.body, extra, replayed=True)
            expand = self._expand_paths(kind, params.get("expand") or [])
            try:
                status, result, store = 200, self._expand(endpoint(params, *args), expand), True
            except StripeError as error:
                status, result, store = error.status, error.body(), error.executed
            body = json.dumps(result, indent=2).encode()
            if key is not None and method == "POST" and store:
                self._idempotency[key] = _Stored(method, path, params, status, body, request_id)
            return _Answer(status, body, extra)
        except StripeError as error:
            return _Answer(error.status, json.dumps(error.body(), indent=2).encode(), extra)
        except Exception as error:  # a bug in the fake: say so in Stripe's shape, don't hang
            body = {"error": {"type": "api_error", "message": f"FakeStripe crashed: {error!r}"}}
            return _Answer(
                500, json.dumps(body).encode(), {**extra, "Stripe-Should-Retry": "false"}
            )

    def _authenticate(self, authorization: str | None) -> None:
        if not authorization:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
                "or we can help at https://support.stripe.com/.",
            )
        scheme, _, credentials = authorization.partition(" ")
        api_key = credentials.strip()
        if scheme.lower() == "basic":
            try:
                api_key = base64.b64decode(credentials).decode().partition(":")[0]
            except ValueError:
                api_key = ""
        elif scheme.lower() != "bearer":
            api_key = ""
        if not api_key.startswith("sk_test_") or len(api_key) <= len("sk_test_"):
            masked = api_key[:8] + "*" * 4 + api_key[-4:] if len(api_key) > 12 else api_key
            raise StripeError(401, f"Invalid API Key provided: {masked}")

    def _route(
        self, method: str, path: str
    ) -> tuple[Callable[..., dict[str, Any]], list[str], str]:
        for route_method, pattern, endpoint, kind in self._routes:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return endpoint, [unquote_plus(group) for group in match.groups()], kind
        raise StripeError(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
            "or we can help at https://support.stripe.com/.",
        )

    @staticmethod
    def _replayable(
        stored: _Stored, method: str, path: str, params: dict[str, Any], key: str
    ) -> _Stored:
        retry = f"Try using a key other than '{key}' if you meant to execute a different request."
        if (stored.method, stored.path) != (method, path):
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{path}' vs '{stored.path}'). {retry}",
                type="idempotency_error",
            )
        if stored.params != params:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. {retry}",
                type="idempotency_error",
            )
        return stored

    def _page(self, handler: BaseHTTPRequestHandler, method: str, path: str) -> None:
        """The pages the returned URLs point at, so a browser that follows one lands somewhere."""
        match = re.fullmatch(r"/c/pay/([^/]+)", path)
        with self._lock:
            session = self._objects["checkout.session"].get(match.group(1)) if match else None
        if session is not None and method == "GET":
            success = (session["success_url"] or "").replace("{CHECKOUT_SESSION_ID}", session["id"])
            text = (
                f"<h1>Fake Stripe Checkout</h1><p>{html.escape(session['id'])}: "
                f"{session['amount_total']} {html.escape(session['currency'])}, "
                f"{html.escape(session['status'])}</p>"
                f'<a href="{html.escape(success)}">Success URL</a> '
                f'<a href="{html.escape(session["cancel_url"] or "")}">Cancel URL</a>'
            )
            status = 200
        elif method == "GET" and path.startswith("/setup/e/"):
            text, status = f"<h1>Fake Stripe onboarding</h1><p>{html.escape(path)}</p>", 200
        else:
            text, status = "<h1>Not found</h1>", 404
        data = f"<!doctype html><html><body>{text}</body></html>".encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    # Storage helpers --------------------------------------------------------------------

    def _stored(self, kind: str, object_id: str) -> dict[str, Any]:
        try:
            return self._objects[kind][object_id]
        except KeyError:
            raise KeyError(f"no {kind} {object_id!r} in the fake") from None

    def _find(self, object_id: str) -> dict[str, Any] | None:
        for objects in self._objects.values():
            if object_id in objects:
                return objects[object_id]
        return None

    @staticmethod
    def _expand_paths(kind: str, paths: Any) -> list[str]:
        """The `expand` paths, checked before anything runs (as Stripe validates them)."""
        paths = [paths] if isinstance(paths, str) else list(paths)
        for path in paths:
            node_kind = kind
            for part in path.split("."):
                if part not in EXPANDABLE.get(node_kind, ()):
                    raise StripeError(
                        400, f"This property cannot be expanded ({path}).", param="expand"
                    )
                node_kind = EXPANDED_KIND[part]
        return paths

    def _expand(self, obj: dict[str, Any], paths: list[str]) -> dict[str, Any]:
        obj = copy.deepcopy(obj)
        for path in paths:
            node: Any = obj
            for part in path.split("."):
                if not isinstance(node, dict):
                    break  # a null link: nothing to expand
                if isinstance(node.get(part), str):
                    node[part] = copy.deepcopy(self._find(node[part]))
                node = node[part]
        return obj

    # Accounts ---------------------------------------------------------------------------

    def _retriever(self, kind: str, param: str) -> Callable[..., dict[str, Any]]:
        """GET /v1/<kind>s/<id>: the stored object, or Stripe's resource_missing."""

        def retrieve(params: dict[str, Any], object_id: str) -> dict[str, Any]:
            _check_known(params, RETRIEVE_SPEC)
            found = self._objects[kind].get(object_id)
            if found is None:
                raise _no_such(kind, object_id, param)
            return found

        return retrieve

    def _create_account(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_known(params, ACCOUNT_SPEC)
        account_type = params.get("type")
        if account_type is None and "controller" not in params:
            raise StripeError(
                400, "You must specify one of `type` or `controller`.", param="type",
                code="parameter_missing",
            )  # fmt: skip
        if account_type not in (None, "express", "standard", "custom"):
            raise StripeError(
                400,
                f"Invalid type: must be one of custom, express, or standard (got {account_type})",
                param="type",
                code="parameter_invalid",
            )
        requested = {
            name: _bool((value or {}).get("requested", "false"), f"capabilities[{name}][requested]")
            for name, value in (params.get("capabilities") or {}).items()
        }
        capabilities = [name for name, wanted in requested.items() if wanted] or [
            "card_payments",
            "transfers",
        ]
        country = (params.get("country") or self.country).upper()
        business_type = params.get("business_type")
        due = [item for item in ONBOARDING_DUE if not (business_type and item == "business_type")]
        account = {
            "id": "acct_1" + _random(15),
            "object": "account",
            "business_type": business_type,
            "capabilities": dict.fromkeys(capabilities, "inactive"),
            "charges_enabled": False,
            "country": country,
            "created": _now(),
            "default_currency": params.get("default_currency")
            or DEFAULT_CURRENCY.get(country, "eur"),
            "details_submitted": False,
            "email": params.get("email"),
            "metadata": _metadata(params.get("metadata")),
            "payouts_enabled": False,
            "requirements": {
                "currently_due": list(due),
                "eventually_due": list(due),
                "past_due": list(due),
                "pending_verification": [],
                "disabled_reason": "requirements.past_due",
                "current_deadline": None,
                "errors": [],
            },
            "type": account_type,
        }
        self._objects["account"][account["id"]] = account
        return account

    def _create_account_link(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_known(params, ACCOUNT_LINK_SPEC)
        for name in ("account", "type", "refresh_url", "return_url"):
            if not params.get(name):
                raise _missing(name)
        if params["type"] not in ("account_onboarding", "account_update"):
            raise StripeError(
                400,
                "Invalid type: must be one of account_onboarding or account_update",
                param="type",
                code="parameter_invalid",
            )
        account_id = params["account"]
        if account_id not in self._objects["account"]:
            raise _no_such("account", account_id, "account", status=400)
        created = _now()
        link = {
            "object": "account_link",
            "created": created,
            "expires_at": created + 300,
            "url": f"{self.url}/setup/e/{account_id}/{_random(12)}",
        }
        self._objects["account_link"][link["url"]] = link
        return link

    # Checkout ---------------------------------------------------------------------------

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_known(params, SESSION_SPEC)
        if not params.get("mode"):
            raise _missing("mode")
        if params["mode"] != "payment":
            raise StripeError(
                400, "The fake supports mode=payment only.", param="mode", code="parameter_invalid"
            )
        items = params.get("line_items")
        if not items:
            raise _missing("line_items")
        currency, total = self._line_items_total(items)
        intent_data = params.get("payment_intent_data") or {}
        self._check_intent_data(intent_data, total)
        created = _now()
        expires_at = created + 24 * 3600
        if params.get("expires_at") is not None:
            expires_at = _int(params["expires_at"], "expires_at")
            # Stripe wants 30 minutes to 24 hours; a minute of slack absorbs clock rounding.
            if not created + 1800 - 60 <= expires_at <= created + 24 * 3600 + 60:
                raise StripeError(
                    400,
                    "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                    "Checkout Session creation.",
                    param="expires_at",
                    code="parameter_invalid",
                )
        session_id = "cs_test_a1" + _random(54)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": created,
            "currency": currency,
            "customer": params.get("customer"),
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": _metadata(params.get("metadata")),
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params.get("success_url"),
            "url": f"{self.url}/c/pay/{session_id}",
        }
        self._objects["checkout.session"][session_id] = session
        self._payment_intent_data[session_id] = copy.deepcopy(intent_data)
        return session

    @staticmethod
    def _line_items_total(items: list[dict[str, Any]]) -> tuple[str, int]:
        currencies, total = set(), 0
        for i, item in enumerate(items):
            prefix = f"line_items[{i}]"
            if "price" in item:
                raise _no_such("price", item["price"], f"{prefix}[price]", status=400)
            price = item.get("price_data")
            if not price:
                raise _missing(f"{prefix}[price_data]")
            for name in ("currency", "unit_amount"):
                if not price.get(name):
                    raise _missing(f"{prefix}[price_data][{name}]")
            if not (price.get("product_data") or {}).get("name"):
                raise _missing(f"{prefix}[price_data][product_data][name]")
            if "quantity" not in item:
                raise _missing(f"{prefix}[quantity]")
            unit = _int(price["unit_amount"], f"{prefix}[price_data][unit_amount]", minimum=0)
            quantity = _int(item["quantity"], f"{prefix}[quantity]", minimum=1)
            currencies.add(price["currency"].lower())
            total += unit * quantity
        if len(currencies) > 1:
            raise StripeError(
                400, "All line items must use the same currency.", param="line_items",
                code="parameter_invalid",
            )  # fmt: skip
        currency = currencies.pop()
        minimum = MINIMUM_CHARGE.get(currency, 50)
        if total < minimum:
            raise StripeError(
                400,
                f"The Checkout Session's total amount due must add up to at least "
                f"{minimum} {currency} (in the currency's smallest unit).",
                param="line_items[0][price_data][unit_amount]",
                code="amount_too_small",
            )
        return currency, total

    def _check_intent_data(self, data: dict[str, Any], total: int) -> None:
        if data.get("application_fee_amount") is not None:
            fee = _int(
                data["application_fee_amount"],
                "payment_intent_data[application_fee_amount]",
                minimum=0,
            )
            if fee > total:
                raise StripeError(
                    400,
                    "The application fee amount must be less than or equal to the amount.",
                    param="payment_intent_data[application_fee_amount]",
                    code="parameter_invalid",
                )
        destination = (data.get("transfer_data") or {}).get("destination")
        if destination is None:
            return
        param = "payment_intent_data[transfer_data][destination]"
        account = self._objects["account"].get(destination)
        if account is None:
            raise _no_such("destination", destination, param, status=400)
        if account["capabilities"].get("transfers") != "active":
            raise StripeError(
                400,
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                param=param,
                code="insufficient_capabilities_for_transfer",
            )

    def _session(self, session_id: str) -> dict[str, Any]:
        session = self._objects["checkout.session"].get(session_id)
        if session is None:
            raise _no_such("checkout.session", session_id, "session")
        return session

    def _retrieve_session(self, params: dict[str, Any], session_id: str) -> dict[str, Any]:
        _check_known(params, RETRIEVE_SPEC)
        return self._session(session_id)

    def _expire_session(self, params: dict[str, Any], session_id: str) -> dict[str, Any]:
        _check_known(params, RETRIEVE_SPEC)
        return self._expire(self._session(session_id))

    def _expire(self, session: dict[str, Any]) -> dict[str, Any]:
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. This '
                f'Checkout Session has a status of "{session["status"]}".',
                param="session",
                executed=True,
            )
        session.update(status="expired", url=None)
        intent = self._objects["payment_intent"].get(session["payment_intent"] or "")
        if intent is not None:
            intent.update(status="canceled", cancellation_reason="abandoned")
        return session

    def _open_session(self, session_id: str) -> dict[str, Any]:
        session = self._stored("checkout.session", session_id)
        if session["status"] != "open":
            raise ValueError(f"{session_id} is {session['status']}, not open")
        return session

    # Payment intents and charges ----------------------------------------------------------

    def _intent_for(self, session: dict[str, Any]) -> dict[str, Any]:
        """The session's payment intent, made on the customer's first attempt."""
        if session["payment_intent"] is not None:
            return self._objects["payment_intent"][session["payment_intent"]]
        data = self._payment_intent_data[session["id"]]
        fee = data.get("application_fee_amount")
        transfer = data.get("transfer_data")
        if transfer is not None:
            transfer = dict(transfer)
            if "amount" in transfer:
                transfer["amount"] = int(transfer["amount"])
        intent = {
            "id": "pi_3" + _random(23),
            "object": "payment_intent",
            "amount": session["amount_total"],
            "amount_received": 0,
            "application_fee_amount": int(fee) if fee is not None else None,
            "cancellation_reason": None,
            "created": _now(),
            "currency": session["currency"],
            "description": data.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": _metadata(data.get("metadata")),
            "payment_method_types": ["card"],
            "status": "requires_payment_method",
            "transfer_data": transfer,
        }
        self._objects["payment_intent"][intent["id"]] = intent
        session["payment_intent"] = intent["id"]
        return intent

    def _new_charge(
        self, intent: dict[str, Any], *, succeeded: bool, failure_message: str | None = None
    ) -> dict[str, Any]:
        charge = {
            "id": "ch_3" + _random(23),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"] if succeeded else 0,
            "amount_refunded": 0,
            "application_fee_amount": intent["application_fee_amount"],
            "captured": succeeded,
            "created": _now(),
            "currency": intent["currency"],
            "failure_code": None if succeeded else "card_declined",
            "failure_message": None if succeeded else failure_message,
            "livemode": False,
            "metadata": dict(intent["metadata"]),
            "paid": succeeded,
            "payment_intent": intent["id"],
            "refunded": False,
            "disputed": False,
            "status": "succeeded" if succeeded else "failed",
            "transfer": "tr_1" + _random(23) if succeeded and intent["transfer_data"] else None,
            "transfer_data": copy.deepcopy(intent["transfer_data"]),
        }
        self._objects["charge"][charge["id"]] = charge
        return charge

    # Refunds ------------------------------------------------------------------------------

    def _create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_known(params, REFUND_SPEC)
        intent_id, charge_id = params.get("payment_intent"), params.get("charge")
        if not intent_id and not charge_id:
            raise StripeError(
                400,
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                code="parameter_missing",
            )
        if charge_id:
            charge = self._objects["charge"].get(charge_id)
            if charge is None:
                raise _no_such("charge", charge_id, "charge", status=400)
            if intent_id and charge["payment_intent"] != intent_id:
                raise StripeError(
                    400,
                    f"The charge {charge_id} does not belong to the PaymentIntent {intent_id}.",
                    param="charge",
                    code="parameter_invalid",
                )
        else:
            intent = self._objects["payment_intent"].get(intent_id)
            if intent is None:
                raise _no_such("payment_intent", intent_id, "payment_intent", status=400)
            charge = self._objects["charge"].get(intent["latest_charge"] or "")
        if charge is None or charge["status"] != "succeeded":
            raise StripeError(
                400,
                f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                param="payment_intent",
            )
        held = [
            d
            for d in self._objects["dispute"].values()
            if d["charge"] == charge["id"] and d["status"] in DISPUTE_HOLDS
        ]
        if held:
            raise StripeError(
                400,
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                code="charge_disputed",
                executed=True,
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = remaining
        if params.get("amount") is not None:
            amount = _int(params["amount"], "amount", minimum=1)
        flags = {
            name: _bool(params[name], name) if name in params else False
            for name in ("reverse_transfer", "refund_application_fee")
        }
        if remaining <= 0:
            raise StripeError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                param="amount",
                code="charge_already_refunded",
                executed=True,
            )
        if amount > remaining:
            raise StripeError(
                400,
                f"Refund amount ({amount} {charge['currency']}) is greater than unrefunded "
                f"amount on charge ({remaining} {charge['currency']})",
                param="amount",
                code="charge_already_refunded",
                executed=True,
            )
        return self._refund(
            charge,
            amount,
            params,
            reverse_transfer=flags["reverse_transfer"],
            refund_fee=flags["refund_application_fee"],
        )

    def _refund(
        self,
        charge: dict[str, Any],
        amount: int,
        params: dict[str, Any],
        *,
        reverse_transfer: bool,
        refund_fee: bool,
    ) -> dict[str, Any]:
        refund = {
            "id": "re_3" + _random(23),
            "object": "refund",
            "amount": amount,
            "balance_transaction": None,
            "charge": charge["id"],
            "created": _now(),
            "currency": charge["currency"],
            "metadata": _metadata(params.get("metadata")),
            "payment_intent": charge["payment_intent"],
            "reason": params.get("reason"),
            "status": "succeeded",
            "transfer_reversal": "trr_1" + _random(23)
            if reverse_transfer and charge["transfer"]
            else None,
        }
        self._objects["refund"][refund["id"]] = refund
        self._refund_options[refund["id"]] = {
            "reverse_transfer": reverse_transfer,
            "refund_application_fee": refund_fee,
        }
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        return refund


def fake_stripe_server() -> Iterator[FakeStripe]:
    """A started fake for a fixture to yield from (`yield from fake_stripe_server()`)."""
    with FakeStripe() as fake:
        yield fake
