"""Backup and restore of everything the site holds, to and from one file: `backup()` writes it
from a consistent snapshot, `restore()` loads it into an empty, migrated database."""

from newsroom.backup.dump import backup
from newsroom.backup.load import Restored, restore
from newsroom.backup.tables import BackupError

__all__ = ["BackupError", "Restored", "backup", "restore"]
