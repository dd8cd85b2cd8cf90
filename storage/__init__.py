"""Persistence: SQLAlchemy models, repositories, the unit of work and Alembic migrations.

``storage`` imports neither the core (``bot``) nor any platform library: it stores plain values.
"""
