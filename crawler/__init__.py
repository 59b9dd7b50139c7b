"""passaparola: a self-hosted review and reputation monitor."""

__version__ = "0.1.0"
DEFAULT_CONFIG_NAME = "passaparola.toml"  # here, so the CLI can name it without loading pydantic
