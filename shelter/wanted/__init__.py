"""Red Notices, diffusions, extradition requests, deportation orders and wanted lists: imported or
entered, screened against the registry, triaged, assessed, and turned into dossiers. A thin Django
adapter around the pure engines ``shelter.notices`` (parsers, crawler) and ``shelter.assessment``."""
