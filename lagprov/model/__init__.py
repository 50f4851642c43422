"""Typed, frozen data: intent (what we want), state (what devices say), findings."""
