"""Reading the unit directory."""
from __future__ import annotations


def unit_directory():
    """The unit directory as the importer resolves names against it, built from the database."""
    from .directory import UnitDirectory

    return UnitDirectory.from_database()
