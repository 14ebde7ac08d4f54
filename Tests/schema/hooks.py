"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): every POST that carries an
`Idempotency-Key` gets a fresh one, so that two different generated requests never share a key
(which the server rightly answers with 422, or 409 while the first is running)."""
import uuid

import schemathesis


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    # A negative case is left as generated: changing it makes schemathesis judge it again as a
    # positive one, while its checks still expect the rejection (a removed Authorization, say).
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    # Only a key the document allows is replaced: a generated invalid one is what a negative case tests.
    if isinstance(key, str) and 1 <= len(key) <= 255:
        headers["Idempotency-Key"] = str(uuid.uuid4())
