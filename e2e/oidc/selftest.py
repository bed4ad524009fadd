#!/usr/bin/env python3
"""End-to-end self test of e2e/oidc/provider.py.

Starts the provider as a subprocess and acts as a relying party would:
discovery, login form, authorization code with PKCE (S256), nonce and state,
token exchange, RS256 ID token verification against /jwks, userinfo. It then
checks the negative paths (bad PKCE verifier, code reuse, missing PKCE, bad
client credentials, ...) and that every `/_test/mode` produces an ID token
that fails exactly the verification step it is meant to break.

Exit status 0 and "oidc selftest: N checks passed" on success; non-zero with
a message naming the failed check otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from urllib.parse import parse_qs, urlsplit

import requests
from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, JoseError, UnsupportedAlgorithmError
from joserfc.jwk import KeySet

from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata

warnings.filterwarnings("ignore", message=".*JWS algorithm \"none\".*")

HERE = os.path.dirname(os.path.abspath(__file__))
PROVIDER = os.path.join(HERE, "provider.py")

CLIENT_ID = "hiroba"
CLIENT_SECRET = "test-secret-" + secrets.token_hex(8)
REDIRECT_URI = "http://127.0.0.1:8080/auth/oidc/callback"
OTHER_REDIRECT_URI = "http://localhost:8080/auth/oidc/callback"
PASSWORD = "password123"
SCOPE = "openid profile email"


class CheckFailed(Exception):
    pass


class VerificationError(Exception):
    """ID token rejected; `stage` names the failed check."""

    def __init__(self, stage, detail):
        super().__init__(f"{stage}: {detail}")
        self.stage = stage


class Checks:
    def __init__(self):
        self.passed = 0

    def __call__(self, condition, description, detail=None):
        if not condition:
            message = description if detail is None else f"{description} ({detail})"
            raise CheckFailed(message)
        self.passed += 1


check = Checks()


# ---------------------------------------------------------------------------
# Provider process
# ---------------------------------------------------------------------------


def start_provider(*extra):
    cmd = [
        sys.executable,
        PROVIDER,
        "--port", "0",
        "--client-id", CLIENT_ID,
        "--client-secret", CLIENT_SECRET,
        "--redirect-uri", REDIRECT_URI,
        "--redirect-uri", OTHER_REDIRECT_URI,
        *extra,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("READY http://127.0.0.1:"):
        proc.kill()
        raise CheckFailed(f"provider did not print READY (got {line!r}, exit {proc.poll()})")
    return proc, line.split(" ", 1)[1]


def stop_provider(proc):
    """SIGTERM must end the provider cleanly; returns its exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return None
    return proc.returncode


# ---------------------------------------------------------------------------
# Relying-party helpers
# ---------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_pkce():
    verifier = b64url(secrets.token_bytes(48))
    challenge = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    return verifier, challenge


class RelyingParty:
    def __init__(self, issuer):
        self.issuer = issuer
        self.http = requests.Session()
        self.config = None
        self.jwks = None

    def discover(self):
        r = self.http.get(self.issuer + "/.well-known/openid-configuration", timeout=10)
        r.raise_for_status()
        self.config = r.json()
        r = self.http.get(self.config["jwks_uri"], timeout=10)
        r.raise_for_status()
        self.jwks = r.json()

    def authorization_params(self, **overrides):
        """A fresh authorization request; returns (params, verifier)."""
        verifier, challenge = new_pkce()
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPE,
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return {k: v for k, v in params.items() if v is not None}, verifier

    def authorize_get(self, params):
        return self.http.get(
            self.config["authorization_endpoint"], params=params,
            allow_redirects=False, timeout=10,
        )

    def authorize_post(self, params, username, password, action=None):
        form = dict(params, username=username, password=password)
        if action:
            form["action"] = action
        return self.http.post(
            self.config["authorization_endpoint"], data=form,
            allow_redirects=False, timeout=10,
        )

    def login(self, username, **overrides):
        """Logs in; returns (params, verifier, code)."""
        params, verifier = self.authorization_params(**overrides)
        r = self.authorize_post(params, username, PASSWORD)
        if r.status_code != 302:
            raise CheckFailed(f"login of {username} answered {r.status_code}: {r.text[:200]}")
        query = redirect_query(r, params["redirect_uri"])
        if query.get("state") != params["state"] or "code" not in query:
            raise CheckFailed(f"login of {username} redirected without code/state: {query}")
        return params, verifier, query["code"]

    def exchange(self, code, verifier, auth="basic", secret=CLIENT_SECRET,
                 redirect_uri=REDIRECT_URI):
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if verifier is not None:
            data["code_verifier"] = verifier
        kwargs = {}
        if auth == "basic":
            kwargs["auth"] = (CLIENT_ID, secret)
        else:
            data.update(client_id=CLIENT_ID, client_secret=secret)
        return self.http.post(self.config["token_endpoint"], data=data, timeout=10, **kwargs)

    def tokens_for(self, username, **overrides):
        params, verifier, code = self.login(username, **overrides)
        r = self.exchange(code, verifier)
        if r.status_code != 200:
            raise CheckFailed(f"token exchange for {username} answered {r.status_code}: {r.text}")
        return params, r.json()

    def verify_id_token(self, id_token, nonce, access_token=None):
        """Verifies like a careful RP; raises VerificationError(stage, ...)."""
        keys = KeySet.import_key_set(self.jwks)
        try:
            token = jwt.decode(id_token, keys, algorithms=["RS256"])
        except UnsupportedAlgorithmError as e:
            raise VerificationError("algorithm", e) from e
        except BadSignatureError as e:
            raise VerificationError("signature", e) from e
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": self.config["issuer"]},
                "aud": {"essential": True, "value": CLIENT_ID},
                "nonce": {"essential": True},
                "exp": {"essential": True},
                "iat": {"essential": True},
            },
            params={"nonce": nonce, "client_id": CLIENT_ID, "access_token": access_token},
        )
        try:
            claims.validate()
        except ClaimError as e:
            raise VerificationError(e.claim, e) from e
        except JoseError as e:
            raise VerificationError("claims", e) from e
        return dict(claims), token.header

    def set_mode(self, mode, as_json=True):
        url = self.issuer + "/_test/mode"
        if as_json:
            return self.http.post(url, json={"mode": mode}, timeout=10)
        return self.http.post(url, data={"mode": mode}, timeout=10)


def redirect_query(response, redirect_uri):
    location = response.headers.get("Location", "")
    if not location.startswith(redirect_uri + "?"):
        raise CheckFailed(f"expected a redirect to {redirect_uri}, got {location!r}")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def jwt_segments(token):
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


# ---------------------------------------------------------------------------
# Test groups
# ---------------------------------------------------------------------------


def test_discovery(rp):
    rp.discover()
    c = rp.config
    check(c["issuer"] == rp.issuer, "discovery issuer equals the provider URL", c["issuer"])
    OpenIDProviderMetadata(c).validate()  # Authlib's own metadata validation
    check(True, "discovery document passes Authlib's OpenIDProviderMetadata.validate()")
    for key, expected in [
        ("authorization_endpoint", rp.issuer + "/authorize"),
        ("token_endpoint", rp.issuer + "/token"),
        ("userinfo_endpoint", rp.issuer + "/userinfo"),
        ("jwks_uri", rp.issuer + "/jwks"),
        ("response_types_supported", ["code"]),
        ("subject_types_supported", ["public"]),
        ("id_token_signing_alg_values_supported", ["RS256"]),
        ("code_challenge_methods_supported", ["S256"]),
    ]:
        check(c.get(key) == expected, f"discovery {key}", c.get(key))
    check(
        set(c["token_endpoint_auth_methods_supported"])
        == {"client_secret_basic", "client_secret_post"},
        "discovery token_endpoint_auth_methods_supported",
    )
    check("openid" in c["scopes_supported"], "discovery scopes_supported has openid")
    for claim in ("sub", "hiroba_org", "hiroba_bureau", "hiroba_section", "hiroba_roles"):
        check(claim in c["claims_supported"], f"discovery claims_supported has {claim}")

    keys = rp.jwks.get("keys", [])
    check(len(keys) == 1, "jwks has exactly one key", keys)
    key = keys[0]
    check(key.get("kty") == "RSA" and key.get("kid"), "jwks key is RSA with a kid", key.keys())
    check("d" not in key and "p" not in key, "jwks publishes no private key material")
    n = int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4)), "big")
    check(n.bit_length() == 2048, "jwks key is 2048-bit RSA", n.bit_length())


def test_login_form(rp):
    params, _ = rp.authorization_params()
    r = rp.authorize_get(params)
    check(r.status_code == 200, "GET /authorize shows the login form", r.status_code)
    check("text/html" in r.headers.get("Content-Type", ""), "login form is HTML")
    body = r.text
    check('name="username"' in body and 'name="password"' in body,
          "login form has username and password fields")
    for key in ("client_id", "redirect_uri", "state", "nonce", "code_challenge"):
        check(f'name="{key}" value="' in body, f"login form carries {key} as a hidden field")

    r = rp.authorize_post(params, "tanaka", "wrong-password")
    check(r.status_code == 200 and "Location" not in r.headers,
          "wrong password answers 200 with the form again", r.status_code)
    check("Invalid username or password" in r.text, "wrong password shows an error")
    check(f'value="{params["nonce"]}"' in r.text, "form after an error still carries the request")

    r = rp.authorize_post(params, "no-such-user", PASSWORD)
    check(r.status_code == 200 and "Invalid username or password" in r.text,
          "unknown user answers 200 with an error")

    # Same request after the failures: logging in now works (nonce unused).
    r = rp.authorize_post(params, "tanaka", PASSWORD)
    check(r.status_code == 302, "correct password redirects", r.status_code)
    query = redirect_query(r, REDIRECT_URI)
    check(query.get("state") == params["state"], "redirect carries the state")
    check(len(query.get("code", "")) >= 32, "redirect carries a code")

    # "Cancel" returns access_denied to the client.
    params, _ = rp.authorization_params()
    r = rp.authorize_post(params, "", "", action="deny")
    query = redirect_query(r, REDIRECT_URI)
    check(query.get("error") == "access_denied" and query.get("state") == params["state"],
          "cancel redirects with error=access_denied", query)


def test_authorization_errors(rp):
    # Errors that must not redirect: the redirect target cannot be trusted.
    params, _ = rp.authorization_params(client_id="unknown-client")
    r = rp.authorize_get(params)
    check(r.status_code == 400 and r.json().get("error") == "invalid_client",
          "unknown client_id is a 400 invalid_client without redirect", r.text)

    params, _ = rp.authorization_params(redirect_uri="http://127.0.0.1:9999/evil")
    for method in ("GET", "POST"):
        r = (rp.authorize_get(params) if method == "GET"
             else rp.authorize_post(params, "tanaka", PASSWORD))
        check(r.status_code == 400 and "Location" not in r.headers
              and r.json().get("error") == "invalid_request",
              f"{method} with an unregistered redirect_uri is a 400 without redirect", r.text)

    params, _ = rp.authorization_params(redirect_uri=None)
    r = rp.authorize_get(params)
    check(r.status_code == 400 and r.json().get("error") == "invalid_request",
          "missing redirect_uri is a 400 invalid_request", r.text)

    # Errors reported to the (valid) redirect_uri.
    cases = [
        ("missing code_challenge", dict(code_challenge=None, code_challenge_method=None),
         "invalid_request"),
        ("missing code_challenge_method", dict(code_challenge_method=None), "invalid_request"),
        ("plain code_challenge_method", dict(code_challenge_method="plain"), "invalid_request"),
        ("missing nonce", dict(nonce=None), "invalid_request"),
        ("response_type=token", dict(response_type="token"), "unsupported_response_type"),
        ("unknown scope", dict(scope="openid admin"), "invalid_scope"),
    ]
    for name, overrides, expected in cases:
        params, _ = rp.authorization_params(**overrides)
        for method in ("GET", "POST"):
            r = (rp.authorize_get(params) if method == "GET"
                 else rp.authorize_post(params, "tanaka", PASSWORD))
            check(r.status_code == 302, f"{method} with {name} redirects with an error",
                  r.status_code)
            query = redirect_query(r, REDIRECT_URI)
            check(query.get("error") == expected and "code" not in query,
                  f"{method} with {name} gives error={expected}", query)
            check(query.get("state") == params["state"], f"{method} with {name} keeps the state")

    # A second registered redirect_uri works too.
    params, _ = rp.authorization_params(redirect_uri=OTHER_REDIRECT_URI)
    r = rp.authorize_post(params, "tanaka", PASSWORD)
    check("code" in redirect_query(r, OTHER_REDIRECT_URI),
          "second registered redirect_uri is accepted")


def test_code_flow(rp):
    params, verifier, code = rp.login("tanaka")

    # Wrong verifier, missing verifier, wrong redirect_uri, bad client secret.
    r = rp.exchange(code, new_pkce()[0])
    check(r.status_code == 400 and r.json().get("error") == "invalid_grant",
          "wrong code_verifier is a 400 invalid_grant", r.text)
    r = rp.exchange(code, None)
    check(r.status_code == 400 and r.json().get("error") == "invalid_request",
          "missing code_verifier is a 400 invalid_request", r.text)
    r = rp.exchange(code, verifier, redirect_uri=OTHER_REDIRECT_URI)
    check(r.status_code == 400 and r.json().get("error") == "invalid_grant",
          "different redirect_uri at /token is a 400 invalid_grant", r.text)
    r = rp.exchange(code, verifier, secret="wrong-secret")
    check(r.status_code == 401 and r.json().get("error") == "invalid_client",
          "wrong client secret is a 401 invalid_client", r.text)

    # The real exchange (client_secret_basic).
    r = rp.exchange(code, verifier)
    check(r.status_code == 200, "token exchange with the right code_verifier succeeds", r.text)
    check("no-store" in r.headers.get("Cache-Control", ""), "token response is Cache-Control: no-store")
    token = r.json()
    check(token.get("token_type", "").lower() == "bearer", "token_type is Bearer", token)
    check(token.get("access_token") and token.get("id_token"), "access_token and id_token issued")
    check("refresh_token" not in token, "no refresh token issued")

    claims, header = rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
    check(True, "id_token verifies (RS256 signature, iss, aud, nonce, exp, at_hash)")
    check(header.get("alg") == "RS256" and header.get("kid") == rp.jwks["keys"][0]["kid"],
          "id_token header is RS256 with the published kid", header)
    check(claims["iss"] == rp.issuer and claims["aud"] == CLIENT_ID, "iss and aud", claims)
    check(claims["nonce"] == params["nonce"], "nonce echoed")
    now = time.time()
    check(abs(claims["iat"] - now) < 60 and claims["exp"] > now, "iat is now and exp in the future")
    check(abs(claims["auth_time"] - now) < 60, "auth_time is the login time")
    expected = {
        "sub": "u-tanaka",
        "preferred_username": "tanaka",
        "name": "田中 花子",
        "email": "tanaka@city.minato.example",
        "email_verified": True,
        "hiroba_org": "みなと市",
        "hiroba_bureau": "財務局",
        "hiroba_section": "会計課",
        "hiroba_roles": ["staff"],
    }
    for key, value in expected.items():
        check(claims.get(key) == value, f"id_token claim {key}", claims.get(key))

    # Userinfo with the access token.
    r = rp.http.get(rp.config["userinfo_endpoint"],
                    headers={"Authorization": "Bearer " + token["access_token"]}, timeout=10)
    check(r.status_code == 200, "userinfo with the access token", r.text)
    info = r.json()
    for key, value in expected.items():
        check(info.get(key) == value, f"userinfo claim {key}", info.get(key))
    r = rp.http.get(rp.config["userinfo_endpoint"], timeout=10)
    check(r.status_code == 401, "userinfo without a token is 401", r.status_code)
    r = rp.http.get(rp.config["userinfo_endpoint"],
                    headers={"Authorization": "Bearer not-a-token"}, timeout=10)
    check(r.status_code == 401, "userinfo with an unknown token is 401", r.status_code)

    # Code reuse: refused, and the tokens issued for the code are revoked.
    r = rp.exchange(code, verifier)
    check(r.status_code == 400 and r.json().get("error") == "invalid_grant",
          "reusing a code is a 400 invalid_grant", r.text)
    r = rp.http.get(rp.config["userinfo_endpoint"],
                    headers={"Authorization": "Bearer " + token["access_token"]}, timeout=10)
    check(r.status_code == 401, "access token is revoked after the code was reused", r.status_code)

    # Nonce replay: a nonce already bound to a code is refused.
    p2, _ = rp.authorization_params(nonce=params["nonce"])
    r = rp.authorize_post(p2, "tanaka", PASSWORD)
    query = redirect_query(r, REDIRECT_URI)
    check(query.get("error") == "invalid_request", "replayed nonce is refused", query)


def test_other_users(rp):
    # suzuki, via client_secret_post.
    params, verifier, code = rp.login("suzuki")
    r = rp.exchange(code, verifier, auth="post")
    check(r.status_code == 200, "client_secret_post token exchange", r.text)
    token = r.json()
    claims, _ = rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
    expected = {
        "sub": "u-suzuki",
        "name": "鈴木 一郎",
        "hiroba_org": "みなと市",
        "hiroba_bureau": "総務局",
        "hiroba_section": "法務課",
        "hiroba_roles": ["staff", "bureau_admin"],
    }
    for key, value in expected.items():
        check(claims.get(key) == value, f"suzuki id_token claim {key}", claims.get(key))

    # nobody: no Hiroba claims at all.
    params, token = rp.tokens_for("nobody")
    claims, _ = rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
    check(claims.get("sub") == "u-nobody" and claims.get("name") == "名無し",
          "nobody id_token sub and name", claims)
    check(not any(k.startswith("hiroba_") for k in claims), "nobody has no hiroba_* claims", claims)
    check("email" not in claims, "nobody has no email claim")

    # scope=openid only: sub and Hiroba claims, no profile/email claims.
    params, token = rp.tokens_for("tanaka", scope="openid")
    claims, _ = rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
    check(claims.get("hiroba_org") == "みなと市" and claims.get("hiroba_roles") == ["staff"],
          "scope=openid still carries the hiroba_* claims", claims)
    check("name" not in claims and "email" not in claims,
          "scope=openid carries no profile/email claims", claims)


def test_modes(rp):
    r = rp.http.get(rp.issuer + "/_test/mode", timeout=10)
    check(r.status_code == 200 and r.json() == {"mode": "normal"}, "initial mode is normal", r.text)
    r = rp.set_mode("bogus")
    check(r.status_code == 400, "unknown mode is refused", r.status_code)

    expected_stage = {
        "bad_signature": "signature",
        "wrong_nonce": "nonce",
        "wrong_audience": "aud",
        "wrong_issuer": "iss",
        "expired": "exp",
        "alg_none": "algorithm",
    }
    for index, (mode, stage) in enumerate(expected_stage.items()):
        r = rp.set_mode(mode, as_json=index % 2 == 0)  # JSON and form bodies
        check(r.status_code == 200 and r.json() == {"mode": mode}, f"set mode {mode}", r.text)
        params, token = rp.tokens_for("tanaka")
        header, payload, signature = jwt_segments(token["id_token"])
        try:
            rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
        except VerificationError as e:
            check(e.stage == stage, f"mode {mode} fails the {stage} check", e)
        else:
            raise CheckFailed(f"mode {mode}: the id_token was accepted")
        # Everything except the broken part is still in order.
        if mode == "bad_signature":
            check(header.get("kid") == rp.jwks["keys"][0]["kid"],
                  "bad_signature token carries the published kid")
        if mode == "alg_none":
            check(header.get("alg") == "none" and signature == "",
                  "alg_none token is unsigned", header)
        else:
            check(header.get("alg") == "RS256", f"mode {mode} token claims RS256")
        if mode != "wrong_nonce":
            check(payload.get("nonce") == params["nonce"], f"mode {mode} keeps the nonce")
        if mode == "expired":
            check(payload["exp"] < time.time() and payload["iat"] < payload["exp"],
                  "expired token has exp in the past")
        check(payload.get("hiroba_org") == "みなと市", f"mode {mode} keeps the user claims")

    r = rp.set_mode("normal")
    check(r.status_code == 200 and r.json() == {"mode": "normal"}, "set mode normal", r.text)
    params, token = rp.tokens_for("tanaka")
    rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
    check(True, "after mode normal the id_token verifies again")


def test_users_file():
    users = {
        "sato": {
            "password": "s3cret",
            "sub": "u-sato",
            "name": "佐藤 次郎",
            "hiroba_org": "みなと市",
            "hiroba_roles": ["platform_admin"],
        }
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(users, f, ensure_ascii=False)
        path = f.name
    proc, issuer = start_provider("--users", path)
    try:
        rp = RelyingParty(issuer)
        rp.discover()
        params, _ = rp.authorization_params()
        r = rp.authorize_post(params, "tanaka", PASSWORD)
        check(r.status_code == 200 and "Invalid" in r.text,
              "--users replaces the built-in users", r.status_code)
        params, verifier = rp.authorization_params()
        r = rp.authorize_post(params, "sato", "s3cret")
        code = redirect_query(r, REDIRECT_URI)["code"]
        token = rp.exchange(code, verifier).json()
        claims, _ = rp.verify_id_token(token["id_token"], params["nonce"], token["access_token"])
        check(claims.get("sub") == "u-sato" and claims.get("hiroba_roles") == ["platform_admin"],
              "--users user logs in with its claims", claims)
    finally:
        check(stop_provider(proc) == 0, "second provider exits 0 on SIGTERM")
        os.unlink(path)


def main():
    proc, issuer = start_provider()
    try:
        check(True, "provider printed READY " + issuer)
        rp = RelyingParty(issuer)
        test_discovery(rp)
        test_login_form(rp)
        test_authorization_errors(rp)
        test_code_flow(rp)
        test_other_users(rp)
        test_modes(rp)
    except CheckFailed as e:
        print(f"oidc selftest FAILED after {check.passed} checks: {e}", file=sys.stderr)
        return 1
    except (requests.RequestException, VerificationError, KeyError, ValueError) as e:
        print(f"oidc selftest FAILED after {check.passed} checks: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 1
    finally:
        code = stop_provider(proc)
    try:
        check(code == 0, "provider exits 0 on SIGTERM", code)
        test_users_file()
    except (CheckFailed, requests.RequestException, VerificationError, KeyError, ValueError) as e:
        print(f"oidc selftest FAILED after {check.passed} checks: {e}", file=sys.stderr)
        return 1
    print(f"oidc selftest: {check.passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
