"""Console screens, one module each."""
