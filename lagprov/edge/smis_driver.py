"""A faster Netmiko connection class for Supermicro SMIS.

Netmiko's stock ``supermicro_smis`` driver inherits ``check_config_mode()`` without a pattern,
so every check waits for the channel to stay quiet (``read_channel_timing``, 2 s of silence):
about four checks per connect and per ``send_config_set`` (device-protocols.md section 3).
:class:`FastSmisConnection` reads until the prompt terminator instead.  It changes nothing
that is sent to the switch.
"""

from __future__ import annotations

import importlib

from netmiko.supermicro.smci_smis import SmciSwitchSmisSSH

FAST_DEVICE_TYPE = "supermicro_smis_fast"
PROMPT_PATTERN = r"[>#]"


class FastSmisConnection(SmciSwitchSmisSSH):
    """``supermicro_smis`` that waits for the prompt, not for 2 s of silence."""

    def check_config_mode(
        self, check_string: str = ")#", pattern: str = "", force_regex: bool = False
    ) -> bool:
        """True when the prompt shows configuration mode (``host(config...)#``)."""
        result: bool = super().check_config_mode(
            check_string=check_string,
            pattern=pattern or PROMPT_PATTERN,
            force_regex=force_regex,
        )
        return result


def register_fast_smis(device_type: str = FAST_DEVICE_TYPE) -> str:
    """Make ``device_type`` usable in Netmiko's ``ConnectHandler`` (and so in Nornir).

    Idempotent; returns the device type.
    """
    # the module, not netmiko's ``ssh_dispatcher`` function of the same name
    ssh_dispatcher = importlib.import_module("netmiko.ssh_dispatcher")
    ssh_dispatcher.CLASS_MAPPER[device_type] = FastSmisConnection
    if device_type not in ssh_dispatcher.platforms:
        ssh_dispatcher.platforms.append(device_type)
    return device_type
