"""The built-in lab: stateful simulated switches and hosts on loopback.

Real Netmiko, NAPALM and Nornir code talks to it over SSH, SCP, eAPI and NETCONF.  See
``lagprov.lab.base`` for the contracts between the protocol servers, the per-platform CLIs and
the LACP engine.
"""
