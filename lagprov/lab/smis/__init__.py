"""smis."""
