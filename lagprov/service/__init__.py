"""The HTTP service: a second front end (after the CLI) over the same workflow functions.

Start it with ``lagprov serve`` (needs the optional ``service`` dependencies) or build the app
with :func:`lagprov.service.app.create_app` and serve it with any ASGI server.
"""

from __future__ import annotations

from lagprov.service.app import create_app

__all__ = ["create_app"]
