"""The platform-neutral core: message model, command registry, router, clock, translations.

Nothing under ``bot`` imports ``telegram`` or ``discord``; adapters translate to and from
the types defined here.
"""
