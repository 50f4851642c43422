"""The one exception hierarchy of lagprov.

Every error a user can see derives from :class:`LagprovError`; errors that have a natural
built-in counterpart also inherit it (``ConnectError`` is a ``ConnectionError``), following
scrapli.  Nothing above ``lagprov.edge`` imports Netmiko or NAPALM exception types.
"""

from __future__ import annotations

from typing import Any


class LagprovError(Exception):
    """Root of every lagprov error.

    Every one survives pickling as it was (message, type and attributes), whatever its
    constructor takes: an error raised in a worker process (:mod:`lagprov.runs.replay`) is
    raised in the parent unchanged.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[LagprovError], args: tuple[Any, ...],
             attributes: dict[str, Any]) -> LagprovError:
    error = cls.__new__(cls, *args)  # not cls(*args): constructors format their message
    error.args = args
    error.__dict__.update(attributes)
    return error


class ConfigError(LagprovError):
    """Bad command line, environment or configuration file."""


class InputError(LagprovError):
    """Bad user input, pinned to a file and a field.

    ``location`` reads like ``inventory/trunks.yaml: trunks[2] (hv01-team).switch.members[0]``.
    """

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class InputErrors(LagprovError):
    """Several :class:`InputError` found in one pass, reported together."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


class PlatformError(LagprovError):
    """Something about a platform."""


class UnsupportedPlatform(PlatformError):
    """A platform name lagprov does not know."""


class UnsupportedFeature(PlatformError):
    """An intent asks for a feature the platform (or hardware model) declares it lacks."""

    def __init__(self, platform: str, feature: str, detail: str = "") -> None:
        msg = f"{platform} does not support {feature}"
        super().__init__(f"{msg}: {detail}" if detail else msg)
        self.platform = platform
        self.feature = feature


class TemplateError(LagprovError):
    """A missing template or an undefined variable in a template."""


class ParseError(LagprovError):
    """A device output that could not be parsed.  Never an empty result instead."""

    def __init__(self, platform: str, command: str, raw: str, reason: str) -> None:
        snippet = raw.strip()[:200].replace("\n", "\\n")
        super().__init__(f"cannot parse {platform} '{command}': {reason} (output: {snippet!r})")
        self.platform = platform
        self.command = command
        self.reason = reason


class TransportError(LagprovError):
    """A device-facing failure."""


class ConnectError(TransportError, ConnectionError):
    """The device could not be reached or the session dropped."""


class AuthError(ConnectError):
    """The device refused the credentials."""


class CommandError(TransportError):
    """The device rejected a command."""


class CommitError(TransportError):
    """The device refused to commit, or the configuration is locked."""


class TransportTimeout(TransportError, TimeoutError):
    """The device did not answer in time."""


class Interrupted(TransportError):
    """The engineer aborted the run (Ctrl-C twice): a push stopped between two lines."""


class LabError(LagprovError):
    """The built-in lab could not start or was asked for something unsafe."""


class InternalError(LagprovError):
    """A bug in lagprov: an invariant did not hold."""
