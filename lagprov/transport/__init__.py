"""Device-facing edge: sessions over NAPALM and Netmiko, opened by Nornir."""
