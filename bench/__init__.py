"""``make bench``: timed runs of lagprov against the built-in lab (loopback only).

Each benchmark module exposes ``run(results: Results) -> None``; ``python -m bench`` runs them
in order and prints a summary table plus the figures as one JSON document (nothing is written
into the repository).
"""
