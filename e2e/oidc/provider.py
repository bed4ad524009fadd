#!/usr/bin/env python3
"""A small but real OpenID Connect provider for Hiroba's OIDC login tests.

Built on Authlib's server components (Flask integration):

* ``AuthorizationServer`` with an ``AuthorizationCodeGrant`` subclass,
* the ``OpenIDCode`` extension (``nonce`` required, RS256 ID tokens),
* a strict PKCE extension (``code_challenge`` required, ``S256`` only),
* the ``UserInfoEndpoint`` behind a Bearer-token ``ResourceProtector``.

Everything is kept in memory: one confidential client (given on the command
line), a few built-in users, single-use authorization codes and access tokens.

Usage::

    python3 e2e/oidc/provider.py --port 0 --client-id hiroba \
        --client-secret SECRET \
        --redirect-uri http://127.0.0.1:8080/auth/oidc/callback

The issuer is ``http://127.0.0.1:<port>``. Once the socket listens, exactly one
line ``READY http://127.0.0.1:<port>`` is written to stdout. Nothing else is
ever written to stdout. The process runs until SIGTERM/SIGINT (exit code 0).

Claims: the standard ``name``/``preferred_username`` claims are released for
the ``profile`` scope and ``email``/``email_verified`` for the ``email`` scope
(Authlib's ``UserInfo.filter``). The Hiroba claims ``hiroba_org``,
``hiroba_bureau``, ``hiroba_section`` and ``hiroba_roles`` are released
whenever the scope contains ``openid`` (there is no separate ``hiroba``
scope), both in the ID token and at the userinfo endpoint. Users without
them simply do not get these claims.

Test-only hook: ``POST /_test/mode`` switches how ID tokens issued afterwards
are broken (see ``TEST_MODES``), so the relying party's checks can be tested.
"""

from __future__ import annotations

import argparse
import contextvars
import html
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field

# Issuer and redirect URIs are plain-http loopback URLs. Authlib accepts
# loopback addresses anyway; this also allows e.g. "localhost" Host headers.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

from flask import Flask, Response, jsonify, request  # noqa: E402
from joserfc.jwk import KeySet, RSAKey  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from authlib.integrations.flask_oauth2 import (  # noqa: E402
    AuthorizationServer,
    ResourceProtector,
)
from authlib.oauth2 import OAuth2Error  # noqa: E402
from authlib.oauth2.rfc6749 import (  # noqa: E402
    ClientMixin,
    InvalidRequestError,
    TokenMixin,
    grants,
    list_to_scope,
    scope_to_list,
)
from authlib.oauth2.rfc6750 import BearerTokenValidator  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge  # noqa: E402
from authlib.oidc.core import (  # noqa: E402
    AuthorizationCodeMixin,
    OpenIDCode,
    UserInfo,
    UserInfoEndpoint,
)

# joserfc warns whenever an unsigned ("alg": "none") token is produced; that is
# exactly what the `alg_none` test mode is for.
warnings.filterwarnings("ignore", message=".*JWS algorithm \"none\".*")

# ---------------------------------------------------------------------------
# Configuration constants
# ---------------------------------------------------------------------------

SCOPES_SUPPORTED = ["openid", "profile", "email"]
HIROBA_CLAIMS = ["hiroba_org", "hiroba_bureau", "hiroba_section", "hiroba_roles"]
STANDARD_CLAIMS = ["sub", "name", "preferred_username", "email", "email_verified"]
ID_TOKEN_CLAIMS = ["iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash"]

AUTHORIZATION_CODE_LIFETIME = 300  # seconds
ACCESS_TOKEN_LIFETIME = 3600  # seconds
ID_TOKEN_LIFETIME = 3600  # seconds

#: Test modes for ID tokens issued after `POST /_test/mode`.
TEST_MODES = {
    "normal": "well-formed ID token",
    "bad_signature": "signed by a different RSA key that carries the same kid",
    "wrong_nonce": "nonce claim differs from the nonce of the request",
    "wrong_audience": "aud is not the client id",
    "wrong_issuer": "iss is not the issuer URL",
    "expired": "exp (and iat/auth_time) lie in the past",
    "alg_none": 'unsigned token with header alg "none"',
}

DEFAULT_PASSWORD = "password123"

#: Built-in users: username -> claims (plus "password"). `--users FILE.json`
#: replaces this mapping with one of the same shape.
BUILTIN_USERS = {
    "tanaka": {
        "password": DEFAULT_PASSWORD,
        "sub": "u-tanaka",
        "name": "田中 花子",
        "email": "tanaka@city.minato.example",
        "hiroba_org": "みなと市",
        "hiroba_bureau": "財務局",
        "hiroba_section": "会計課",
        "hiroba_roles": ["staff"],
    },
    "suzuki": {
        "password": DEFAULT_PASSWORD,
        "sub": "u-suzuki",
        "name": "鈴木 一郎",
        "email": "suzuki@city.minato.example",
        "hiroba_org": "みなと市",
        "hiroba_bureau": "総務局",
        "hiroba_section": "法務課",
        "hiroba_roles": ["staff", "bureau_admin"],
    },
    "nobody": {
        "password": DEFAULT_PASSWORD,
        "sub": "u-nobody",
        "name": "名無し",
    },
}


# ---------------------------------------------------------------------------
# In-memory models
# ---------------------------------------------------------------------------


@dataclass
class User:
    username: str
    password: str
    sub: str
    claims: dict  # every claim except "sub" (name, email, hiroba_* ...)

    def get_user_id(self):
        return self.sub


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    client_metadata: dict = field(default_factory=dict)  # read by UserInfoEndpoint

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        # OpenID Connect requires redirect_uri in every authorization request.
        return None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        allowed = [s for s in scope_to_list(scope) if s in SCOPES_SUPPORTED]
        return list_to_scope(allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris  # exact match only

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(
            client_secret.encode("utf-8"), self.client_secret.encode("utf-8")
        )

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        # No refresh tokens: only the authorization code grant.
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    auth_time: int
    expires_at: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None

    def is_expired(self):
        return time.time() >= self.expires_at


@dataclass
class Token(TokenMixin):
    access_token: str
    client: Client
    user: User
    scope: str
    issued_at: int
    expires_in: int
    revoked: bool = False

    def check_client(self, client):
        return client.get_client_id() == self.client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.user

    def get_client(self):
        return self.client


class Store:
    """Thread-safe in-memory storage (the HTTP server is threaded)."""

    def __init__(self, client: Client, users: dict[str, User]):
        self.lock = threading.Lock()
        self.client = client
        self.users = users
        self.codes: dict[str, AuthorizationCode] = {}
        # Codes already exchanged -> access tokens issued for them. A second
        # use of such a code revokes those tokens (RFC 6749 section 4.1.2).
        self.used_codes: dict[str, list[str]] = {}
        self.tokens: dict[str, Token] = {}
        self.nonces: set[tuple[str, str]] = set()  # (client_id, nonce)
        self.mode = "normal"


# Set by create_app(); the provider serves exactly one issuer per process.
STORE: Store
ISSUER: str
SIGNING_KEY: RSAKey  # published at /jwks
ROGUE_KEY: RSAKey  # same kid, never published (bad_signature mode)

# The test mode snapshot for the ID token being encoded in this request.
_ID_TOKEN_MODE: contextvars.ContextVar[str] = contextvars.ContextVar(
    "id_token_mode", default="normal"
)


def user_claims(user: User, scope: str) -> UserInfo:
    """Claims released for `user` under `scope` (ID token and userinfo)."""
    standard = UserInfo(sub=user.sub, preferred_username=user.username)
    for key in ("name", "email", "email_verified"):
        if key in user.claims:
            standard[key] = user.claims[key]
    if "email" in standard and "email_verified" not in standard:
        standard["email_verified"] = True
    info = standard.filter(scope)  # openid -> sub, profile -> name..., email -> email...
    if "openid" in scope_to_list(scope):
        for key in HIROBA_CLAIMS:
            if key in user.claims:
                info[key] = user.claims[key]
    return info


# ---------------------------------------------------------------------------
# Authlib grant and extensions
# ---------------------------------------------------------------------------


class S256CodeChallenge(CodeChallenge):
    """PKCE that is mandatory for every client and accepts only S256.

    Authlib's `CodeChallenge(required=True)` only forces PKCE on public
    clients and also accepts "plain"; Hiroba is a confidential client, so the
    authorization request check is tightened here.
    """

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    CODE_CHALLENGE_METHODS = {"S256": compare_s256_code_challenge}

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge' (PKCE is required).")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class HirobaOpenIDCode(OpenIDCode):
    """OpenID Connect extension: RS256 ID tokens, nonce handling, test modes."""

    def exists_nonce(self, nonce, request):
        # A nonce may be used for one authorization code only (replay check).
        with STORE.lock:
            return (request.payload.client_id, nonce) in STORE.nonces

    def generate_user_info(self, user, scope):
        return user_claims(user, scope)

    # --- signing -----------------------------------------------------------

    def encode_id_token(self, token, request):
        # Snapshot the test mode once so that every hook below sees the same
        # value even if /_test/mode changes concurrently.
        with STORE.lock:
            mode = STORE.mode
        reset = _ID_TOKEN_MODE.set(mode)
        try:
            return super().encode_id_token(token, request)
        finally:
            _ID_TOKEN_MODE.reset(reset)

    def get_client_algorithm(self, client):
        return "none" if _ID_TOKEN_MODE.get() == "alg_none" else "RS256"

    def get_encode_header(self, client):
        alg = self.get_client_algorithm(client)
        if alg == "none":
            return {"typ": "JWT", "alg": "none"}
        # bad_signature uses ROGUE_KEY, which carries the published kid.
        return {"typ": "JWT", "alg": alg, "kid": SIGNING_KEY.kid}

    def resolve_client_private_key(self, client):
        return ROGUE_KEY if _ID_TOKEN_MODE.get() == "bad_signature" else SIGNING_KEY

    # --- claims ------------------------------------------------------------

    def get_client_claims(self, client):
        mode = _ID_TOKEN_MODE.get()
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": client.get_client_id(),
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME,
        }
        if mode == "wrong_issuer":
            claims["iss"] = "http://issuer.invalid"
        elif mode == "wrong_audience":
            claims["aud"] = "not-" + client.get_client_id()
        elif mode == "expired":
            claims["iat"] = now - 2 * ID_TOKEN_LIFETIME
            claims["exp"] = now - ID_TOKEN_LIFETIME
        return claims

    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        mode = _ID_TOKEN_MODE.get()
        if mode == "wrong_nonce":
            claims["nonce"] = "wrong-" + secrets.token_urlsafe(16)
        elif mode == "expired":
            claims["auth_time"] = int(time.time()) - 2 * ID_TOKEN_LIFETIME
        return claims


class HirobaAuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        nonce = data.get("nonce")
        item = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            user=request.user,
            nonce=nonce,
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            auth_time=int(time.time()),
            expires_at=int(time.time()) + AUTHORIZATION_CODE_LIFETIME,
        )
        with STORE.lock:
            STORE.codes[code] = item
            if nonce:
                STORE.nonces.add((item.client_id, nonce))
        return item

    def query_authorization_code(self, code, client):
        with STORE.lock:
            if code in STORE.used_codes:
                # Replayed code: refuse it and revoke what it produced.
                for access_token in STORE.used_codes[code]:
                    if access_token in STORE.tokens:
                        STORE.tokens[access_token].revoked = True
                return None
            item = STORE.codes.get(code)
        if item and item.client_id == client.get_client_id() and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        with STORE.lock:
            STORE.codes.pop(authorization_code.code, None)
            STORE.used_codes.setdefault(authorization_code.code, [])

    def authenticate_user(self, authorization_code):
        return authorization_code.user


def save_token(token, request):
    item = Token(
        access_token=token["access_token"],
        client=request.client,
        user=request.user,
        scope=token.get("scope", ""),
        issued_at=int(time.time()),
        expires_in=int(token.get("expires_in", ACCESS_TOKEN_LIFETIME)),
    )
    with STORE.lock:
        STORE.tokens[item.access_token] = item
        if request.authorization_code is not None:
            code = request.authorization_code.code
            STORE.used_codes.setdefault(code, []).append(item.access_token)


def query_client(client_id):
    return STORE.client if client_id == STORE.client.client_id else None


class HirobaBearerTokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        with STORE.lock:
            return STORE.tokens.get(token_string)


class HirobaUserInfoEndpoint(UserInfoEndpoint):
    def get_issuer(self):
        return ISSUER

    def generate_user_info(self, user, scope):
        return user_claims(user, scope)

    def resolve_private_key(self):
        return SIGNING_KEY


# ---------------------------------------------------------------------------
# HTML login form
# ---------------------------------------------------------------------------

#: Authorization request parameters carried through the login form.
AUTHORIZATION_PARAMS = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "max_age",
    "login_hint",
]


def login_page(params, error=None, username=""):
    hidden = "\n".join(
        f'    <input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
        if k in AUTHORIZATION_PARAMS
    )
    error_html = f'  <p class="error" role="alert">{html.escape(error)}</p>\n' if error else ""
    body = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test OpenID Provider - Sign in</title></head>
<body>
  <h1>Sign in</h1>
{error_html}  <form method="post" action="/authorize">
{hidden}
    <label>Username <input type="text" name="username" value="{html.escape(username)}" autofocus></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit" name="action" value="login">Sign in</button>
    <button type="submit" name="action" value="deny">Cancel</button>
  </form>
</body>
</html>
"""
    return Response(body, status=200, mimetype="text/html")


# ---------------------------------------------------------------------------
# Flask application
# ---------------------------------------------------------------------------


def create_app(issuer, client, users):
    """Build the Flask app; sets the module-level store, issuer and keys."""
    global STORE, ISSUER, SIGNING_KEY, ROGUE_KEY
    STORE = Store(client, users)
    ISSUER = issuer
    kid = "hiroba-test-" + secrets.token_hex(4)
    params = {"kid": kid, "use": "sig", "alg": "RS256"}
    SIGNING_KEY = RSAKey.generate_key(2048, parameters=params, private=True)
    ROGUE_KEY = RSAKey.generate_key(2048, parameters=params, private=True)

    app = Flask(__name__)
    app.json.ensure_ascii = False  # keep Japanese names readable in JSON
    app.config["OAUTH2_SCOPES_SUPPORTED"] = SCOPES_SUPPORTED
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": ACCESS_TOKEN_LIFETIME}

    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(
        HirobaAuthorizationCodeGrant,
        [HirobaOpenIDCode(require_nonce=True), S256CodeChallenge(required=True)],
    )
    protector = ResourceProtector()
    protector.register_token_validator(HirobaBearerTokenValidator())
    server.register_endpoint(HirobaUserInfoEndpoint(resource_protector=protector))

    def error_response(error: OAuth2Error):
        """Authlib's error response: a redirect to the client when the
        redirect_uri is trusted, otherwise a JSON error (400)."""
        return server.handle_error_response(None, error)

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            {
                "issuer": ISSUER,
                "authorization_endpoint": ISSUER + "/authorize",
                "token_endpoint": ISSUER + "/token",
                "userinfo_endpoint": ISSUER + "/userinfo",
                "jwks_uri": ISSUER + "/jwks",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": SCOPES_SUPPORTED,
                "claims_supported": STANDARD_CLAIMS + ID_TOKEN_CLAIMS + HIROBA_CLAIMS,
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
            }
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(KeySet([SIGNING_KEY]).as_dict(private=False))

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        try:
            grant = server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            return error_response(error)

        if request.method == "GET":
            return login_page(request.args.to_dict())

        form = request.form
        if form.get("action") == "deny":
            return server.create_authorization_response(grant=grant, grant_user=None)

        username = form.get("username", "")
        user = STORE.users.get(username)
        password = form.get("password", "")
        if user is None or not secrets.compare_digest(
            password.encode("utf-8"), user.password.encode("utf-8")
        ):
            return login_page(
                request.values.to_dict(), error="Invalid username or password.", username=username
            )
        return server.create_authorization_response(grant=grant, grant_user=user)

    @app.post("/token")
    def issue_token():
        return server.create_token_response()

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo():
        return server.create_endpoint_response("userinfo")

    # --- test-only hooks -----------------------------------------------------

    @app.route("/_test/mode", methods=["GET", "POST"])
    def test_mode():
        if request.method == "POST":
            if request.is_json:
                data = request.get_json(silent=True)
                data = data if isinstance(data, dict) else {}
            else:
                data = request.form
            mode = data.get("mode")
            if mode not in TEST_MODES:
                return jsonify(error="invalid_mode", modes=sorted(TEST_MODES)), 400
            with STORE.lock:
                STORE.mode = mode
        with STORE.lock:
            return jsonify(mode=STORE.mode)

    return app


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def load_users(path):
    """Users from a JSON object: username -> {"password", "sub", claims...}."""
    if path is None:
        data = BUILTIN_USERS
    else:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    if not isinstance(data, dict) or not data:
        raise SystemExit(f"users: expected a non-empty JSON object, got {type(data).__name__}")
    users = {}
    for username, entry in data.items():
        if not isinstance(entry, dict) or "sub" not in entry:
            raise SystemExit(f"users: entry {username!r} needs at least a 'sub'")
        claims = {k: v for k, v in entry.items() if k not in ("password", "sub")}
        users[username] = User(
            username=username,
            password=entry.get("password", DEFAULT_PASSWORD),
            sub=str(entry["sub"]),
            claims=claims,
        )
    return users


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Test OpenID Connect provider for Hiroba.")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    p.add_argument("--client-id", required=True)
    p.add_argument("--client-secret", required=True)
    p.add_argument(
        "--redirect-uri", action="append", required=True, help="allowed redirect URI (repeatable)"
    )
    p.add_argument("--users", help="JSON file replacing the built-in users")
    p.add_argument("--verbose", action="store_true", help="log HTTP requests to stderr")
    p.add_argument(
        "--exit-on-stdin-eof",
        action="store_true",
        help="exit when stdin is closed (so the provider dies with its parent)",
    )
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    users = load_users(args.users)
    client = Client(args.client_id, args.client_secret, list(args.redirect_uri))

    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    # Bind first so that the port, and therefore the issuer, is known.
    # The app is attached right after (the issuer is baked into the app).
    srv = make_server(args.host, args.port, app=lambda e, s: None, threaded=True)
    issuer = f"http://{args.host}:{srv.server_port}"
    srv.app = create_app(issuer, client, users)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A child of Foundation's Process inherits the parent's blocked signal mask (SIGTERM included), which
    # left providers of finished test runs alive: take SIGTERM/SIGINT back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    if args.exit_on_stdin_eof:

        def watch_stdin():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch_stdin, daemon=True).start()

        # Stdin alone is not enough: sibling providers started by the same test process inherit each other's
        # pipe ends, so EOF may never come. The parent's exit is the other signal.
        parent = os.getppid()

        def watch_parent():
            while os.getppid() == parent:
                time.sleep(1)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch_parent, daemon=True).start()

    print(f"READY {issuer}", flush=True)
    try:
        srv.serve_forever()
    except SystemExit:
        pass
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
