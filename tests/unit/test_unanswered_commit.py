"""An atomic commit that was sent and never answered (the session dropped or timed out) may
have taken effect or not: the device is read again before anything is undone (issue 16).

Over the recording session of tests/unit/test_provision.py: a fresh session (``reopen``) shows
the device as the commit left it.
"""

from __future__ import annotations

from lagprov.errors import CommitError, ConnectError, TransportTimeout
from lagprov.model.outcome import OutcomeStatus
from lagprov.provision.device import provision_device
from tests.unit.test_provision import BASE, INV, RecordingSession


class AppliesThenDrops(RecordingSession):
    """The commit takes effect on the device; its answer never comes back."""

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        self.fail_commit = None
        super().commit(confirm_seconds=confirm_seconds)
        raise ConnectError("eos7120-1 commit: Remote end closed connection without response")


def test_a_lost_answer_to_a_commit_that_took_effect_restores_the_device() -> None:
    s = AppliesThenDrops(BASE)
    fresh: list[RecordingSession] = []

    def reopen() -> RecordingSession:
        again = RecordingSession(s.running)  # the device as the commit left it
        again.original = BASE  # what its rollback goes back to: before the run
        fresh.append(again)
        return again

    out = provision_device(s, INV, "eos7120-1", commit=True, reopen=reopen)
    assert s.running != BASE  # the change was on the device
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "unreachable"
    assert out.messages == ("previous configuration restored",)
    [again] = fresh
    assert again.calls == ["run show running-config", "rollback"] and again.running == BASE


def test_a_lost_answer_to_a_commit_that_did_not_take_effect_discards_only() -> None:
    s = RecordingSession(BASE, fail_commit=TransportTimeout("eos7120-1 commit: timed out"))
    fresh = RecordingSession(BASE)
    out = provision_device(s, INV, "eos7120-1", commit=True, reopen=lambda: fresh)
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "timeout"
    assert out.messages == ("candidate discarded, nothing applied",)
    assert "rollback" not in fresh.calls and fresh.calls[-1] == "discard force=True"


def test_a_lost_answer_from_a_device_that_cannot_be_read_again_touches_nothing() -> None:
    s = AppliesThenDrops(BASE)

    def reopen() -> RecordingSession:
        raise ConnectError("eos7120-1 connect: device unreachable (refused)")

    out = provision_device(s, INV, "eos7120-1", commit=True, reopen=reopen)
    assert out.status is OutcomeStatus.FAILED and out.error_kind == "unreachable"
    assert "may have taken effect" in out.messages[0] and "refused" in out.messages[0]
    assert "rollback" not in s.calls and not any(c.startswith("discard") for c in s.calls)


def test_a_refused_commit_is_not_read_again() -> None:
    s = RecordingSession(BASE, fail_commit=CommitError("eos7120-1 commit: refused"))
    out = provision_device(s, INV, "eos7120-1", commit=True,
                           reopen=lambda: RecordingSession("never read"))
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "commit"
    assert s.calls[-1] == "discard force=True"
