"""Read NetworkManager keyfiles with libnm's own keyfile parser and verify each connection.

Run by the *system* python3 (PyGObject and the NM typelib are Debian packages, python3-gi and
gir1.2-nm-1.0): ``python3 nm_keyfile_check.py FILE...`` prints one JSON object per file with
the parser's warnings and the values it read.  Exit 3: libnm is not importable.
"""

import json
import sys

try:
    import gi

    gi.require_version("NM", "1.0")
    from gi.repository import NM, GLib
except (ImportError, ValueError) as exc:
    print(f"libnm not importable: {exc}")
    sys.exit(3)


def check(path):
    kf = GLib.KeyFile()
    kf.load_from_file(path, GLib.KeyFileFlags.NONE)
    problems = []

    def handler(_kf, _conn, kind, info, *_rest):
        if kind == NM.KeyfileHandlerType.WARN:
            problems.append(str(info.warn_get()[0]))
        return False

    out = {"path": path, "problems": problems}
    try:
        conn = NM.keyfile_read(kf, "/etc/NetworkManager/system-connections",
                               NM.KeyfileHandlerFlags.NONE, handler)
        conn.verify()
    except GLib.Error as exc:
        problems.append(exc.message)
        return out
    bond, wired, vlan = conn.get_setting_bond(), conn.get_setting_wired(), conn.get_setting_vlan()
    out.update(type=conn.get_connection_type(), ifname=conn.get_interface_name(),
               controller=conn.get_setting_connection().get_master(),
               mtu=wired.get_mtu() if wired else None,
               bond=dict(bond.get_option(i)[1:] for i in range(bond.get_num_options()))
               if bond else None,
               vlan_id=vlan.get_id() if vlan else None)
    return out


print(json.dumps([check(p) for p in sys.argv[1:]]))
