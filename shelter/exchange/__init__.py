"""Moving data in and out of Shelter: spreadsheet import, exports (CSV, JSON, FollowTheMoney) and
encrypted backups. Plain Python: the Django side lives in the ``shelter.ops`` management commands."""
