"""junos."""
