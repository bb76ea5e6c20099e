"""Linux servers."""
