"""The compliance pages of the service: server-rendered HTML over the history database.

``/ui/`` (the fleet: trunks x rules of the newest audit, filtered by device, purpose and
status), ``/ui/trunks/{name}`` (both ends, the failing checks with their evidence and root
cause, the trunk's history), ``/ui/runs`` / ``/ui/runs/{id}`` / ``/ui/runs/{a}/diff/{b}``
(audits and what changed between two), ``/ui/changes`` (committed provisioning runs, with a
rollback form for write tokens).  :func:`install_pages` registers them; :mod:`.views` builds
the data, the packaged templates display it, :mod:`.session` decides who may see and write.
"""

from __future__ import annotations

from lagprov.service.pages.routes import install_pages

__all__ = ["install_pages"]
