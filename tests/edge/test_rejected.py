"""A refused line is an error however the CLI words it; a warning is not a refusal."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lagprov.edge.sessions import NetmikoSession
from lagprov.errors import CommandError


class _Conn:
    def __init__(self, answer: str) -> None:
        self.answer = answer

    def send_config_set(self, lines: Sequence[str], **_: object) -> str:
        return "\n".join(f"sw(config)# {line}" for line in lines) + "\n" + self.answer

    def save_config(self) -> str:
        return "[OK]"

    def exit_config_mode(self) -> str:
        return ""


@pytest.mark.parametrize("answer", [
    "% Invalid input detected at '^' marker.",         # IOS / EOS
    "% Incomplete command.",
    "error: syntax error, expecting <command>",        # Junos
    "% Port-channel module is disabled",               # Aricent ISS / SMIS (modelled)
    "% Port-channel 10 does not exist",
])
def test_a_refusal_fails_the_push(answer: str) -> None:
    session = NetmikoSession(_Conn(answer), "sw1")
    session.load(["interface Gi0/1", "channel-group 10 mode active"])
    with pytest.raises(CommandError, match="sw1 rejected a command"):
        session.commit()


@pytest.mark.parametrize("answer", [
    "% Warning: portfast should only be enabled on ports connected to a single host.",
    "Warning: portfast should only be enabled on ports connected to a single host.",
    "%LINK-3-UPDOWN: Interface Port-channel10, changed state to up",
    "",
])
def test_a_warning_is_not_a_refusal(answer: str) -> None:
    session = NetmikoSession(_Conn(answer), "sw1")
    session.load(["interface Port-channel10", "spanning-tree portfast edge trunk"])
    session.commit()
