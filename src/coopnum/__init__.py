"""coopnum: an annotated French news dataset on Russia's international digital cooperation."""

__version__ = "0.1.0"
