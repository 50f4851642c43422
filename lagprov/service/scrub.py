"""Never echo a credential: every JSON response passes through :func:`scrub`."""

from __future__ import annotations

import os

from fastapi.responses import JSONResponse

from lagprov.runs import ENV_PASSWORD, ENV_SECRET

ENV_SERVICE_KEY = "LAGPROV_SERVICE_KEY"
ENV_WEBHOOK_KEY = "LAGPROV_WEBHOOK_KEY"  # the webhooks' signing key (lagprov.service.webhooks)
MASK = "***"
_MIN_SECRET_LEN = 4  # shorter values would mask ordinary words; such secrets are not accepted


def secrets_from_env() -> tuple[str, ...]:
    """The secret values in the environment (password, enable secret, service key, webhook
    signing key) and the bearer token the current request presented."""
    from lagprov.service.auth import PRESENTED

    values = [os.environ.get(n) for n in (ENV_PASSWORD, ENV_SECRET, ENV_SERVICE_KEY,
                                          ENV_WEBHOOK_KEY)]
    values.append(PRESENTED.get())  # the bearer token of the request being answered
    return tuple(sorted({v for v in values if v and len(v) >= _MIN_SECRET_LEN}, key=len,
                        reverse=True))


def scrub_text(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for s in secrets:
        text = text.replace(s, MASK)
    return text


def scrub(content: object, secrets: tuple[str, ...] | None = None) -> object:
    """JSON-able ``content`` with every secret masked in every string (keys included)."""
    found = secrets_from_env() if secrets is None else secrets
    if not found:
        return content
    if isinstance(content, str):
        return scrub_text(content, found)
    if isinstance(content, dict):
        return {scrub_text(str(k), found): scrub(v, found) for k, v in content.items()}
    if isinstance(content, list | tuple):
        return [scrub(v, found) for v in content]
    return content


class ScrubbedJSONResponse(JSONResponse):
    """The default response class of the service: JSON with credentials masked."""

    def render(self, content: object) -> bytes:
        """Mask secrets, then encode as JSON."""
        return super().render(scrub(content))
