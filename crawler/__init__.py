"""passaparola: a self-hosted review and reputation monitor."""

__version__ = "0.1.0"
