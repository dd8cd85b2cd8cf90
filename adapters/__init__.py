"""Platform adapters: thin translators between a platform and the core's Request/Reply."""
