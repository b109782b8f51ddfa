"""Moving data in and out of Shelter: spreadsheet import, person files (``person_lines``, read by the
import, screening and matching commands), exports (CSV, JSON, FollowTheMoney) and encrypted backups.
Plain Python: the Django side lives in the ``shelter.ops`` management commands."""
